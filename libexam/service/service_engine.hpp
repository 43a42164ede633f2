// The recording service's state and its two halves: the control loop that follows the
// schedule, watches health and raises alarms (service_engine.cpp), and the answers to
// `exam-camera start`, `stop`, `status` and `snapshot` over the control socket
// (service_requests.cpp). Private to libexam-recording.
#pragma once

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/service/alarms.hpp>
#include <exam/service/camera_status.hpp>
#include <exam/service/control_socket.hpp>
#include <exam/service/recording_journal.hpp>
#include <exam/service/recording_service.hpp>
#include <exam/service/wanted_state.hpp>
#include <exam/vision/keyframe_health.hpp>

#include "service/camera_worker.hpp"

namespace exam {

// Lines for the service's log, whole and stamped, from every thread.
class ServiceLog {
public:
    explicit ServiceLog(std::ostream& out) : m_out(out) {}
    void line(const std::string& text);

private:
    std::ostream& m_out;
    std::mutex m_mutex;
};

class ServiceEngine {
public:
    ServiceEngine(const Site& site, const ServiceOptions& options, std::ostream& log);
    ~ServiceEngine();
    ServiceEngine(const ServiceEngine&) = delete;
    ServiceEngine& operator=(const ServiceEngine&) = delete;

    void run(const std::atomic<bool>& stop);

private:
    struct CameraSlot {
        const Room* room;
        const Camera* camera;
        std::unique_ptr<CameraWorker> worker;
        KeyframeHealth health;
        PictureHealthStatus health_status;
        // The same problems in both languages: the alarm's journal entry keeps the English.
        std::vector<RecordedText> health_problems;
        std::chrono::steady_clock::time_point next_health;
    };

    // The schedule's clock: the real one, or a rehearsal's shifted one.
    [[nodiscard]] TimePoint clock() const;
    // Control loop (service_engine.cpp).
    void tick(bool first);
    void follow_wants(bool first);
    void check_health();
    void watch_alarms();
    void write_metrics();
    void journal(JournalEntry entry);
    // Throws StorageError (74) when entries went unwritten since the journal counted `before`:
    // a command whose evidence is not in the journal says so and fails (`done`: what it did).
    void expect_journalled(std::size_t before, const std::string& done) const;
    [[nodiscard]] ServiceStatus status();
    [[nodiscard]] CameraStatus camera_status(const CameraSlot& slot, const WorkerStatus& worker,
                                             const std::vector<AlarmEvent>& alarms) const;
    CameraSlot* slot_of(const std::string& camera);
    void save_wants();

    // Requests (service_requests.cpp).
    void answer(const Caller& caller, const std::string& command, const std::string& request,
                ReplyStream& reply);
    void start_cameras(const Caller& caller, const std::string& request, ReplyStream& reply);
    void stop_cameras(const Caller& caller, const std::string& request, ReplyStream& reply);
    void take_snapshot(const Caller& caller, const std::string& request, ReplyStream& reply);

    const Site& m_site;
    Milliseconds m_shift{0};
    bool m_shifted = false;
    ServiceLog m_log;
    RecordingJournal m_journal;
    std::vector<CameraSlot> m_cameras;  // the site's order
    // The schedule's stops under way; finished ones are dropped at each tick, the rest
    // waited for at the end.
    std::vector<std::future<void>> m_stoppers;

    std::mutex m_mutex;  // the wants, the alarms and the health below
    WantedState m_wanted;
    AlarmTracker m_alarms;
    AlarmNotifier m_notifier;
    std::chrono::steady_clock::time_point m_next_metrics;
    std::chrono::year_month_day m_day;
};

}  // namespace exam
