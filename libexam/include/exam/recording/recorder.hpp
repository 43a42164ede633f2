// The recorder: every camera stream-copied (no re-encoding) by libavformat into segments of
// fragmented MP4, one folder per room and camera. A fragment is flushed and synced every
// second, so a crash or power cut loses about a second per camera; a finished segment is
// synced, renamed from .partial, then entered in the index (segment_index.hpp).
// Lives in libexam-recording (FFmpeg's libraries), which only exam-camera links.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <exam/recording/keyframe.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/recorded_text.hpp>

namespace exam {

struct CameraSource {
    std::string camera;
    std::string room;
    // rtsp:// (RTP over TCP, else over UDP), http:// (or https://), or a file (file:/PATH or
    // /PATH) played as a camera for rehearsals: at its own pace, looped, its timestamps running
    // on.
    std::string uri;
    // The camera's sound is kept (AAC as it came, G.711 converted to AAC) unless the site says
    // it must not be: then it is not even asked for.
    bool audio = true;
};

// Why a camera's recording was switched off.
enum class SwitchOffCause {
    requested,  // the recorder was told to stop (Ctrl-C, SIGTERM)
    disk_full,  // the recordings' disk came down to the reserve
    failed,     // an error the recorder could not carry on after (CameraSwitch::detail says)
};

// A camera's recording switched on or off: the equipment journal's "start of recording" and
// "recording switched off".
struct CameraSwitch {
    bool on = true;
    // On: the camera's previous recording was cut short by a crash or a power cut (segments
    // were left open and have just been recovered).
    bool after_crash = false;
    SwitchOffCause cause = SwitchOffCause::requested;  // off only
    std::string detail;  // off after a failure: what failed, in English (for the journal)
};

struct RecorderOptions {
    std::filesystem::path recordings;
    Milliseconds segment_length{std::chrono::seconds{60}};  // a new segment at the next keyframe
    Milliseconds fragment_every{std::chrono::seconds{1}};   // flushed and synced this often
    Milliseconds stall_timeout{std::chrono::seconds{10}};   // no packet this long: reconnect
    std::uint64_t reserve = 0;  // bytes kept free on the recordings' disk for a clean stop
    std::optional<std::string> exam;
    // Called after a segment is in the index (the journal's `segment` event hangs here).
    std::function<void(const SegmentRecord&)> on_segment;
    // The server's clock; empty means the system's. Within a segment, time runs on the steady
    // clock; a step of this clock by more than a second starts a new segment.
    std::function<TimePoint()> wall_clock;
    // What happens, in words, for the operator's terminal (`what.shown`) and for records that
    // keep it (`what.recorded`, the service's alarm entries).
    std::function<void(const std::string& camera, const RecordedText& what)> on_event;
    // Typed news for the journal and the terminal's tallies; each is called from the camera's
    // own thread, so several may run at once.
    std::function<void(const CameraSource&, const CameraSwitch&)> on_switch;
    // The camera delivers pictures again (true), or stopped delivering them (false).
    std::function<void(const CameraSource&, bool has_picture)> on_picture;
    // Called after a gap is in the index.
    std::function<void(const GapRecord&)> on_gap;
    // A segment was opened: its file (relative to the recordings, ending .mp4; on disk as
    // .mp4.partial until it is finished).
    std::function<void(const CameraSource&, const std::string& file)> on_segment_started;
    // The camera's sound is being written (at most once a second per camera).
    std::function<void(const CameraSource&)> on_sound;
    // Each keyframe written, copied (the recording service judges the picture from it and
    // takes snapshots; recording/keyframe.hpp).
    std::function<void(const CameraSource&, const Keyframe&)> on_keyframe;
};

struct RecordingOutcome {
    bool disk_full = false;  // some camera stopped to keep the reserve
    // Cameras left alone because another recorder was recording them already.
    std::vector<std::string> held_elsewhere;
    // "CAMERA: why" for cameras that could not begin at all (their folder or lock).
    std::vector<RecordedText> not_started;
    // "CAMERA: why" for cameras whose recording ended in an error before the stop.
    std::vector<RecordedText> failed;
    // "CAMERA: why" for cameras that began but never gave a picture during the run (the last
    // reason they gave none).
    std::vector<RecordedText> never_recorded;
};

// Records every source, each in a thread of its own so that one failing camera never
// disturbs the others, until `stop` becomes true (or the disk is down to the reserve); then
// finishes every open segment.
EXAM_EXPORT RecordingOutcome record_cameras(const std::vector<CameraSource>& sources,
                                            const RecorderOptions& options,
                                            const std::atomic<bool>& stop);

}  // namespace exam
