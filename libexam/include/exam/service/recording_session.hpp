// One run of the recorder as `exam-camera record` makes it: the cameras chosen from the site,
// the disk checked before the start, every start, stop and segment in the journal (said at the
// start and the end when the journal cannot take them), a heartbeat line and a summary per
// camera on the terminal, and the exit-code rule of docs/exit-codes.md at the end. Composes
// recording, the journal and the tallies; built into libexam-recording, beside the recorder.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <exam/core/camera_choice.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/recording/recorder.hpp>
#include <exam/util/duration.hpp>

namespace exam {

// The cameras to record (core/camera_choice.hpp); UsageError when the choice is empty.
EXAM_EXPORT std::vector<CameraSource> choose_cameras(const Site& site, const CameraChoice& choice);

// How often the heartbeat line comes: `written` as a duration ("30s", "0" for none), or when
// empty every minute on a terminal and never in a log. UsageError for anything else.
EXAM_EXPORT Milliseconds heartbeat_interval(const std::string& written, bool terminal);

struct RecordingRequest {
    CameraChoice cameras;
    std::optional<std::string> exam;   // for the index and the journal
    Milliseconds heartbeat{0};         // 0: none
    std::optional<std::string> actor;  // who runs it, for the journal
};

// Records until `stop`; `stop_reason` names what asked for it (recording_reason::ctrl_c,
// sigterm) when the cameras are switched off. Returns 0, or throws the error the exit-code
// rule picks (StorageError 74 for any evidence lost or not journalled, DeviceError 69 when
// another recorder holds every camera), with every cause in its message.
EXAM_EXPORT int run_recording(const Site& site, const RecordingRequest& request,
                              const std::atomic<bool>& stop,
                              const std::function<std::string_view()>& stop_reason,
                              std::ostream& terminal);

}  // namespace exam
