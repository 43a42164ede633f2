// exam-camera: recording of every room's cameras, snapshots, archive export and retention.
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>

#include <fmt/ranges.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <exam/core/recording_plan.hpp>
#include <exam/journal/site_journal.hpp>
#include <exam/recording/recorder.hpp>
#include <exam/service/recording_journal.hpp>
#include <exam/service/recording_tally.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "common/tool.hpp"

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_stop_signal{0};

void request_stop(int signal) {
    g_stop_signal.store(signal);
    g_stop.store(true);
}

struct RecordOptions {
    std::vector<std::string> rooms;
    std::vector<std::string> cameras;
    bool all = false;
    std::string exam;
    std::string heartbeat;  // empty: every minute on a terminal, none otherwise
};

std::vector<exam::CameraSource> chosen_sources(const exam::Site& site,
                                               const RecordOptions& options) {
    if (!options.all && options.rooms.empty() && options.cameras.empty()) {
        throw exam::UsageError(
            _("say which cameras to record: --all, --room ROOM or --camera CAMERA"));
    }
    for (const std::string& room : options.rooms) {
        if (site.find_room(room) == nullptr) {
            throw exam::UsageError(_f("--room {}: the site has no such room", room) +
                                   site.suggest_room(room));
        }
    }
    std::vector<exam::CameraSource> sources;
    std::vector<std::string> found;
    for (const exam::Room& room : site.rooms) {
        const bool whole_room = options.all || std::find(options.rooms.begin(), options.rooms.end(),
                                                         room.id) != options.rooms.end();
        for (const exam::Camera& camera : room.cameras) {
            const bool named = std::find(options.cameras.begin(), options.cameras.end(),
                                         camera.id) != options.cameras.end();
            if (named) {
                found.push_back(camera.id);
            }
            if (whole_room || named) {
                sources.push_back({camera.id, room.id, camera.uri});
            }
        }
    }
    for (const std::string& camera : options.cameras) {
        if (std::find(found.begin(), found.end(), camera) == found.end()) {
            throw exam::UsageError(_f("--camera {}: the site has no such camera", camera) +
                                   site.suggest_camera(camera));
        }
    }
    if (sources.empty()) {
        throw exam::UsageError(_("the chosen rooms have no cameras"));
    }
    return sources;
}

std::uint64_t free_bytes_at(const std::filesystem::path& recordings) {
    std::error_code missing;
    // A relative folder ("recordings", beside the site file) is walked up from its full path.
    std::filesystem::path folder = std::filesystem::absolute(recordings);
    while (!std::filesystem::exists(folder, missing) && folder.has_parent_path() &&
           folder != folder.parent_path()) {
        folder = folder.parent_path();  // before the first recording, the disk it will be on
    }
    struct statvfs stats {};
    if (::statvfs(folder.c_str(), &stats) != 0) {
        throw exam::StorageError(_f("cannot examine the recordings' disk at {}: {}",
                                    folder.string(), std::strerror(errno)));
    }
    return static_cast<std::uint64_t>(stats.f_bavail) * stats.f_frsize;
}

// Refuses to start below the reserve; warns when the exam's recording will not fit.
void check_disk_before_start(const exam::Site& site, const std::vector<exam::CameraSource>& sources,
                             const RecordOptions& options) {
    const std::uint64_t free_bytes = free_bytes_at(site.paths.recordings);
    if (free_bytes < site.recording.reserve) {
        throw exam::StorageError(
            _f("the recordings' disk at {} has {} free, less than the reserve of {} kept for a "
               "clean stop; free space (recordings the commission already has) or move "
               "[paths] recordings to a larger disk",
               site.paths.recordings.string(), exam::format_byte_size(free_bytes),
               exam::format_byte_size(site.recording.reserve)));
    }
    const exam::TimePoint now = exam::now();
    const auto today = site.exams_on_day_of(now);
    const exam::Exam* exam = !options.exam.empty() ? site.find_exam(options.exam)
                             : today.size() == 1   ? today.front()
                                                   : nullptr;
    if (exam == nullptr) {
        return;
    }
    std::vector<const exam::Camera*> cameras;
    for (const exam::CameraSource& source : sources) {
        for (const exam::Room& room : site.rooms) {
            for (const exam::Camera& camera : room.cameras) {
                if (camera.id == source.camera) {
                    cameras.push_back(&camera);
                }
            }
        }
    }
    const exam::RecordingPlan plan =
        exam::plan_recording(cameras, exam::exam_times(*exam, site.timezone), site.recording, now);
    if (free_bytes < plan.recording_bytes + site.recording.reserve) {
        std::cerr << "exam-camera: " << _("warning: ")
                  << _f("{} free at {}, but recording {} camera(s) until {} after the end of "
                        "exam {} needs {} plus the {} reserve; it will stop early unless "
                        "space is freed",
                        exam::format_byte_size(free_bytes), site.paths.recordings.string(),
                        cameras.size(), exam::format_duration(site.recording.after_end), exam->id,
                        exam::format_byte_size(plan.recording_bytes),
                        exam::format_byte_size(site.recording.reserve))
                  << std::endl;
    }
}

// Evidence is never silent: a journal that should hold the segments' hashes and does not is
// said before the first segment and again at the end.
void warn_unjournalled(const exam::RecordingJournal& journal) {
    std::cerr << "exam-camera: " << _("WARNING: ")
              << _f("recording goes on, but NOTHING is entered in the journal: no segment "
                    "hash, no start or stop; {}",
                    journal.problem())
              << std::endl;
}

// Which code wins when several apply (docs/exit-codes.md): nothing recorded because another
// recorder has every camera is 69; any evidence lost or not journalled is 74, with every cause
// in one message.
int finish_recording(const exam::Site& site, const std::vector<exam::CameraSource>& sources,
                     const exam::RecordingOutcome& outcome, const exam::RecordingJournal& journal) {
    if (!outcome.held_elsewhere.empty() && outcome.held_elsewhere.size() == sources.size()) {
        throw exam::DeviceError(
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
               site.paths.recordings.string(), exam::format_byte_size(site.recording.reserve)));
    }
    if (journal.unjournalled() > 0) {
        if (!journal.problem().empty()) {
            warn_unjournalled(journal);
        }
        losses.push_back(
            _f("{} entries (segment hashes, starts and stops) are NOT in the journal {}: the "
               "segments are in the index, but nothing proves later that they were not "
               "swapped; fix the journal and tell the exam point's head",
               journal.unjournalled(), site.paths.journal.string()));
    }
    if (!losses.empty()) {
        throw exam::StorageError(
            _f("{}; every segment written is closed and indexed; start again once it is fixed",
               fmt::join(losses, "; ")));
    }
    std::cerr << (journal.kept()
                      ? _("Recording stopped; every segment is closed, indexed and in the journal.")
                      : _("Recording stopped; every segment is closed and indexed."))
              << std::endl;
    return 0;
}

// What asked the recorder to stop, for the journal's recording-stop entries.
std::string_view stop_reason() {
    return g_stop_signal.load() == SIGTERM ? exam::recording_reason::sigterm
                                           : exam::recording_reason::ctrl_c;
}

// A heartbeat line on the terminal every `every` until the stop (none when `every` is 0).
class Heartbeat {
public:
    Heartbeat(exam::Milliseconds every, const exam::RecordingTally& tally,
              const exam::TimeZone& zone, std::mutex& output)
        : m_thread([=, this, &tally, &output] {
              if (every.count() <= 0) {
                  return;
              }
              auto next = std::chrono::steady_clock::now() + every;
              std::unique_lock lock{m_mutex};
              while (!m_woken.wait_until(lock, next, [this] { return m_done; })) {
                  const std::lock_guard print{output};
                  std::cerr << zone.format_for_display(exam::now(), exam::TimePrecision::seconds)
                            << "  " << tally.heartbeat() << std::endl;
                  next += every;
              }
          }) {}
    ~Heartbeat() {
        {
            const std::lock_guard lock{m_mutex};
            m_done = true;
        }
        m_woken.notify_all();
        m_thread.join();
    }
    Heartbeat(const Heartbeat&) = delete;
    Heartbeat& operator=(const Heartbeat&) = delete;

private:
    std::mutex m_mutex;
    std::condition_variable m_woken;
    bool m_done = false;
    std::thread m_thread;  // last: it starts once the members above exist
};

exam::Milliseconds heartbeat_interval(const RecordOptions& options) {
    if (options.heartbeat.empty()) {
        // A person watching a terminal wants to see that it lives; a log file does not.
        return ::isatty(STDERR_FILENO) == 1 ? std::chrono::minutes{1} : exam::Milliseconds{0};
    }
    const auto every = exam::parse_duration(options.heartbeat);
    if (!every) {
        throw exam::UsageError(_f("--heartbeat {}: expected {}, or 0 for none",
                                  options.heartbeat, exam::k_duration_syntax));
    }
    return *every;
}

// Runs in the foreground until Ctrl-C or SIGTERM. Every camera's start and stop and every
// finished segment's hash go into the access journal, so a swapped file cannot pass later.
int record(const exam::tool::Tool& tool, const RecordOptions& options) {
    const exam::Site site = tool.load_site();
    const std::vector<exam::CameraSource> sources = chosen_sources(site, options);
    if (!options.exam.empty() && site.find_exam(options.exam) == nullptr) {
        throw exam::UsageError(_f("exam \"{}\" is not in the site file", options.exam) +
                               site.suggest_exam(options.exam));
    }
    const exam::Milliseconds heartbeat_every = heartbeat_interval(options);
    check_disk_before_start(site, sources, options);
    exam::RecordingJournal journal{
        exam::open_site_journal(site),
        options.exam.empty() ? std::nullopt : std::optional<std::string>{options.exam},
        exam::tool::acting_person()};
    if (journal.kept() && !journal.problem().empty()) {
        warn_unjournalled(journal);
    }
    std::mutex output_mutex;
    exam::RecordingTally tally;

    exam::RecorderOptions recorder;
    recorder.recordings = site.paths.recordings;
    recorder.segment_length = site.recording.segment;
    recorder.stall_timeout = site.recording.watchdog;
    recorder.reserve = site.recording.reserve;
    if (!options.exam.empty()) {
        recorder.exam = options.exam;
    }
    recorder.on_event = [&](const std::string& camera, const std::string& what) {
        const std::lock_guard lock{output_mutex};
        std::cerr << site.timezone.format_for_display(exam::now(), exam::TimePrecision::seconds)
                  << "  " << camera << ": " << what << std::endl;
    };
    const auto journal_refused = [&](const std::string& camera,
                                     const std::optional<std::string>& refusal) {
        if (refusal) {
            recorder.on_event(camera, _f("ALARM: the journal refused the entry: {}", *refusal));
        }
    };
    recorder.on_segment = [&](const exam::SegmentRecord& segment) {
        tally.segment(segment);
        journal_refused(segment.camera, journal.segment_finished(segment));
    };
    recorder.on_switch = [&](const exam::CameraSource& camera, const exam::CameraSwitch& change) {
        tally.switched(camera, change);
        journal_refused(camera.camera, journal.camera_switched(camera, change, stop_reason()));
    };
    recorder.on_picture = [&](const exam::CameraSource& camera, bool has_picture) {
        tally.picture(camera, has_picture);
    };
    recorder.on_gap = [&](const exam::GapRecord& gap) { tally.gap(gap); };

    struct sigaction action {};
    action.sa_handler = request_stop;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    std::cerr << _f("Recording {} camera(s) into {}; Ctrl-C stops.", sources.size(),
                    site.paths.recordings.string())
              << std::endl;
    exam::RecordingOutcome outcome;
    {
        const Heartbeat heartbeat{heartbeat_every, tally, site.timezone, output_mutex};
        outcome = exam::record_cameras(sources, recorder, g_stop);
    }
    journal_refused("journal", journal.close());
    std::cerr << _("What was recorded:") << '\n';
    tally.write_summary(std::cerr);
    std::cerr.flush();
    return finish_recording(site, sources, outcome, journal);
}
}  // namespace

int main(int argc, char** argv) {
    exam::tool::Tool tool("exam-camera",
                          _("Record every room's cameras into indexed segments whose hashes go "
                            "into the exam point's journal."));
    RecordOptions record_options;
    auto* record_command = tool.add_command(
        "record",
        _("Record cameras in the foreground until Ctrl-C: stream copy into segments, indexed"),
        [&] { return record(tool, record_options); });
    record_command->add_flag("--all", record_options.all, _("Every camera of the site"));
    record_command->add_option("--room", record_options.rooms, _("Every camera of this room"))
        ->type_name("ROOM");
    record_command->add_option("--camera", record_options.cameras, _("This camera"))
        ->type_name("CAMERA");
    record_command->add_option("--exam", record_options.exam,
                               _("The exam the recording belongs to, for the index"));
    record_command
        ->add_option("--heartbeat", record_options.heartbeat,
                     _("Print cameras recording, bytes and gaps this often (default: every "
                       "minute when standard error is a terminal; 0: never)"))
        ->type_name("DURATION");
    return tool.run(argc, argv);
}
