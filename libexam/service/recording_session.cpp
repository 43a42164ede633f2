#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/ranges.h>

#include <exam/core/recording_plan.hpp>
#include <exam/journal/site_journal.hpp>
#include <exam/service/recording_journal.hpp>
#include <exam/service/recording_module.hpp>
#include <exam/service/recording_session.hpp>
#include <exam/service/recording_tally.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

// Lines from every camera's thread, the heartbeat's and the session's own, whole and stamped.
class Terminal {
public:
    Terminal(std::ostream& out, const TimeZone& zone) : m_out(out), m_zone(zone) {}
    void line(const std::string& text) {
        const std::lock_guard lock{m_mutex};
        m_out << m_zone.format_for_display(now(), TimePrecision::seconds) << "  " << text
              << std::endl;
    }
    void plain(const std::string& text) {
        const std::lock_guard lock{m_mutex};
        m_out << text << std::flush;
    }

private:
    std::ostream& m_out;
    const TimeZone& m_zone;
    std::mutex m_mutex;
};

// Calls `tick` every `every` on a thread of its own until destroyed (never when 0).
class Periodic {
public:
    Periodic(Milliseconds every, std::function<void()> tick)
        : m_thread([this, every, tick = std::move(tick)] {
              if (every.count() <= 0) {
                  return;
              }
              auto next = std::chrono::steady_clock::now() + every;
              std::unique_lock lock{m_mutex};
              while (!m_woken.wait_until(lock, next, [this] { return m_done; })) {
                  tick();
                  next += every;
              }
          }) {}
    ~Periodic() {
        {
            const std::lock_guard lock{m_mutex};
            m_done = true;
        }
        m_woken.notify_all();
        m_thread.join();
    }
    Periodic(const Periodic&) = delete;
    Periodic& operator=(const Periodic&) = delete;

private:
    std::mutex m_mutex;
    std::condition_variable m_woken;
    bool m_done = false;
    std::thread m_thread;  // last: it starts once the members above exist
};

// Refuses to start below the reserve; warns when the exam's recording will not fit.
void check_disk_before_start(const Site& site, const std::vector<CameraSource>& sources,
                             const std::optional<std::string>& exam_id, Terminal& terminal) {
    std::string problem;
    const std::optional<std::uint64_t> free_bytes =
        free_bytes_on_disk_of(site.paths.recordings, problem);
    if (!free_bytes) {
        throw StorageError(problem);
    }
    if (*free_bytes < site.recording.reserve) {
        throw StorageError(
            _f("the recordings' disk at {} has {} free, less than the reserve of {} kept for a "
               "clean stop; free space (recordings the commission already has) or move "
               "[paths] recordings to a larger disk",
               site.paths.recordings.string(), format_byte_size(*free_bytes),
               format_byte_size(site.recording.reserve)));
    }
    const TimePoint at = now();
    const auto today = site.exams_on_day_of(at);
    const Exam* exam = exam_id             ? site.find_exam(*exam_id)
                       : today.size() == 1 ? today.front()
                                           : nullptr;
    if (exam == nullptr) {
        return;
    }
    std::vector<const Camera*> cameras;
    for (const Room& room : site.rooms) {
        for (const Camera& camera : room.cameras) {
            if (std::any_of(sources.begin(), sources.end(), [&](const CameraSource& source) {
                    return source.camera == camera.id;
                })) {
                cameras.push_back(&camera);
            }
        }
    }
    const RecordingPlan plan =
        plan_recording(cameras, exam_times(*exam, site.timezone), site.recording, at);
    if (*free_bytes < plan.recording_bytes + site.recording.reserve) {
        terminal.plain(std::string{"exam-camera: "} + _("warning: ") +
                       _f("{} free at {}, but recording {} camera(s) until {} after the end of "
                          "exam {} needs {} plus the {} reserve; it will stop early unless "
                          "space is freed",
                          format_byte_size(*free_bytes), site.paths.recordings.string(),
                          cameras.size(), format_span(site.recording.after_end), exam->id,
                          format_byte_size(plan.recording_bytes),
                          format_byte_size(site.recording.reserve)) +
                       "\n");
    }
}

// Evidence is never silent: a journal that should hold the segments' hashes and does not is
// said before the first segment and again at the end.
void warn_unjournalled(const RecordingJournal& journal, Terminal& terminal) {
    terminal.plain(std::string{"exam-camera: "} + _("WARNING: ") +
                   _f("recording goes on, but NOTHING is entered in the journal: no segment "
                      "hash, no start or stop; {}",
                      journal.problem()) +
                   "\n");
}

// Which code wins when several apply (docs/exit-codes.md): any evidence lost or not journalled
// is 74, with every cause in one message; otherwise a camera that never gave a picture, or
// another recorder holding every camera, is 69.
int finish(const Site& site, std::size_t camera_count, const RecordingOutcome& outcome,
           const RecordingJournal& journal, Terminal& terminal) {
    if (!outcome.held_elsewhere.empty() && outcome.held_elsewhere.size() == camera_count) {
        throw DeviceError(
            _f("another exam-camera record is recording {} already; nothing was recorded by "
               "this one (stop that one first, or record other cameras here)",
               fmt::join(outcome.held_elsewhere, ", ")));
    }
    std::vector<std::string> losses;
    if (!outcome.not_started.empty()) {
        losses.push_back(_f("{} camera(s) were never recorded: {}; fix the recordings folder",
                            outcome.not_started.size(), fmt::join(outcome.not_started, "; ")));
    }
    if (!outcome.failed.empty()) {
        losses.push_back(_f("{} camera(s) stopped on an error: {}", outcome.failed.size(),
                            fmt::join(outcome.failed, "; ")));
    }
    if (outcome.disk_full) {
        losses.push_back(
            _f("recording stopped: the disk of {} is down to its reserve of {}; free space "
               "(old recordings the commission already has)",
               site.paths.recordings.string(), format_byte_size(site.recording.reserve)));
    }
    if (journal.unjournalled() > 0) {
        if (!journal.problem().empty()) {
            warn_unjournalled(journal, terminal);
        }
        losses.push_back(
            _f("{} entries (segment hashes, starts and stops) are NOT in the journal {}: the "
               "segments are in the index, but nothing proves later that they were not "
               "swapped; fix the journal and tell the exam point's head",
               journal.unjournalled(), site.paths.journal.string()));
    }
    if (!outcome.never_recorded.empty()) {
        terminal.plain(_f("Recorded nothing at all: {}", fmt::join(outcome.never_recorded, "; ")) +
                       "\n");
    }
    if (!losses.empty()) {
        if (!outcome.never_recorded.empty()) {
            losses.push_back(
                _f("{} camera(s) never gave a picture", outcome.never_recorded.size()));
        }
        throw StorageError(
            _f("{}; every segment written is closed and indexed; start again once it is fixed",
               fmt::join(losses, "; ")));
    }
    if (!outcome.never_recorded.empty()) {
        throw DeviceError(
            _f("{} camera(s) never gave a picture during the run: {}; check each camera, its "
               "address in the site file and the network (exam-precheck run checks them), then "
               "record it again",
               outcome.never_recorded.size(), fmt::join(outcome.never_recorded, "; ")));
    }
    terminal.plain(
        std::string{
            journal.kept()
                ? _("Recording stopped; every segment is closed, indexed and in the journal.")
                : _("Recording stopped; every segment is closed and indexed.")} +
        "\n");
    return 0;
}

}  // namespace

std::vector<CameraSource> choose_cameras(const Site& site, const CameraChoice& choice) {
    if (choice.empty()) {
        throw UsageError(_("say which cameras to record: --all, --room ROOM or --camera CAMERA"));
    }
    std::vector<CameraSource> sources;
    for (const ChosenCamera& chosen : chosen_cameras(site, choice)) {
        sources.push_back({chosen.camera->id, chosen.room->id, chosen.camera->uri,
                           site.keeps_sound(*chosen.room, *chosen.camera)});
    }
    return sources;
}

int run_recording(const Site& site, const RecordingRequest& request, const std::atomic<bool>& stop,
                  const std::function<std::string_view()>& stop_reason, std::ostream& out) {
    const std::vector<CameraSource> sources = choose_cameras(site, request.cameras);
    if (request.exam && site.find_exam(*request.exam) == nullptr) {
        throw UsageError(_f("exam \"{}\" is not in the site file", *request.exam) +
                         site.suggest_exam(*request.exam));
    }
    Terminal terminal{out, site.timezone};
    check_disk_before_start(site, sources, request.exam, terminal);
    RecordingJournal journal{open_site_journal(site), request.exam, request.actor};
    if (journal.kept() && !journal.problem().empty()) {
        warn_unjournalled(journal, terminal);
    }
    RecordingTally tally;

    RecorderOptions recorder;
    recorder.recordings = site.paths.recordings;
    recorder.segment_length = site.recording.segment;
    recorder.stall_timeout = site.recording.watchdog;
    recorder.reserve = site.recording.reserve;
    recorder.exam = request.exam;
    recorder.on_event = [&](const std::string& camera, const RecordedText& what) {
        terminal.line(camera + ": " + what.shown);
    };
    const auto journal_refused = [&](const std::string& camera,
                                     const std::optional<std::string>& refusal) {
        if (refusal) {
            terminal.line(camera + ": " + _f("ALARM: the journal refused the entry: {}", *refusal));
        }
    };
    recorder.on_segment = [&](const SegmentRecord& segment) {
        tally.segment(segment);
        journal_refused(segment.camera, journal.segment_finished(segment));
    };
    recorder.on_switch = [&](const CameraSource& camera, const CameraSwitch& change) {
        tally.switched(camera, change);
        journal_refused(camera.camera, journal.camera_switched(camera, change, stop_reason()));
    };
    recorder.on_picture = [&](const CameraSource& camera, bool has_picture) {
        tally.picture(camera, has_picture);
    };
    recorder.on_gap = [&](const GapRecord& gap) { tally.gap(gap); };

    terminal.plain(_f("Recording {} camera(s) into {}; Ctrl-C stops.", sources.size(),
                      site.paths.recordings.string()) +
                   "\n");
    RecordingOutcome outcome;
    {
        const Periodic heartbeat{request.heartbeat, [&] { terminal.line(tally.heartbeat()); }};
        outcome = record_cameras(sources, recorder, stop);
    }
    journal_refused("journal", journal.close());
    std::ostringstream summary;
    tally.write_summary(summary);
    terminal.plain(_("What was recorded:") + std::string{"\n"} + summary.str());
    return finish(site, sources.size(), outcome, journal, terminal);
}

}  // namespace exam

int exam_recording_run(const exam::Site& site, const exam::RecordingRequest& request,
                       const std::atomic<bool>& stop,
                       const std::function<std::string_view()>& stop_reason,
                       std::ostream& terminal) {
    return exam::run_recording(site, request, stop, stop_reason, terminal);
}
