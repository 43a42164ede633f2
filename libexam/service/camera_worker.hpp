// One camera recorded by the service: a thread of its own runs the recorder for this camera
// alone, so that starting or stopping one camera never touches another. A recording that ends
// in an error while the camera is still wanted is started again after a pause; the recorder
// itself reconnects a camera that stops answering. Lives in libexam-recording.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <exam/recording/keyframe.hpp>
#include <exam/recording/recorder.hpp>
#include <exam/service/camera_status.hpp>

namespace exam {

// Why the camera's recording was switched on or off, for its journal entries: the fixed words
// of docs/journal-format.md and who acted.
struct SwitchReason {
    std::string reason;  // "schedule", "by-hand", a forced stop's reason, "sigterm"
    std::string actor;
};

// What the worker says to the service, from the worker's thread.
struct WorkerNews {
    // Switched on or off; `why` is the start's or the stop's reason as set by start()/stop().
    std::function<void(const CameraSource&, const CameraSwitch&, const SwitchReason& why)> switched;
    std::function<void(const SegmentRecord&)> segment;
    std::function<void(const GapRecord&)> gap;
    std::function<void(const std::string& camera, const RecordedText& what)> event;
};

// The worker's part of a camera's status (camera_status.hpp).
struct WorkerStatus {
    CameraState state = CameraState::stopped;
    TimePoint since;
    std::uint64_t bytes_today = 0;
    int gaps_today = 0;
    Milliseconds gap_time_today{0};
    std::optional<std::string> current_segment;
    std::optional<TimePoint> last_sound;  // when its sound was last written
    bool had_sound = false;               // it had sound during this recording
    RecordedText last_problem;  // for people, and in English for the journal's alarm entries
};

class CameraWorker {
public:
    // `base` carries the recordings folder, segment length, watchdog, reserve and clock; the
    // worker sets the callbacks.
    CameraWorker(CameraSource source, RecorderOptions base, WorkerNews news);
    ~CameraWorker();
    CameraWorker(const CameraWorker&) = delete;
    CameraWorker& operator=(const CameraWorker&) = delete;

    // Starts recording unless it records already; `why` goes into the journal's entry. True
    // when it started it. Thread-safe, as is stop().
    bool start(SwitchReason why);
    // Stops and waits until its files are complete and indexed; true when it was recording.
    bool stop(SwitchReason why);
    [[nodiscard]] bool running() const;

    // Waits until the recording started last has written its first keyframe (nothing: it has)
    // or the deadline passes (the camera's last problem, in words).
    std::optional<std::string> wait_for_picture(std::chrono::steady_clock::time_point deadline);

    [[nodiscard]] WorkerStatus status() const;
    [[nodiscard]] std::optional<Keyframe> latest_keyframe() const;
    [[nodiscard]] const CameraSource& source() const { return m_source; }
    // The counts "today" start again (the service calls it at local midnight).
    void new_day();

private:
    void run();
    void set_state(CameraState state, TimePoint at);

    CameraSource m_source;
    RecorderOptions m_options;
    WorkerNews m_news;

    std::mutex m_control;  // one start or stop at a time (the control loop, requests)
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    WorkerStatus m_status;
    std::optional<Keyframe> m_keyframe;
    bool m_pictured = false;  // the current start has written its first keyframe
    SwitchReason m_start_why;
    SwitchReason m_stop_why;

    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

}  // namespace exam
