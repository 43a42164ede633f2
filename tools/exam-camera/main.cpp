// exam-camera: recording of every room's cameras, snapshots, archive export and retention.
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <mutex>

#include <fmt/ranges.h>
#include <sys/statvfs.h>

#include <exam/core/recording_plan.hpp>
#include <exam/journal/journal.hpp>
#include <exam/recording/recorder.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "common/tool.hpp"

namespace {

std::atomic<bool> g_stop{false};

void request_stop(int /*signal*/) {
    g_stop.store(true);
}

struct RecordOptions {
    std::vector<std::string> rooms;
    std::vector<std::string> cameras;
    bool all = false;
    std::string exam;
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

// Runs in the foreground until Ctrl-C or SIGTERM; every finished segment's hash also goes
// into the access journal (when the site has one), so a swapped file cannot pass later.
int record(const exam::tool::Tool& tool, const RecordOptions& options) {
    const exam::Site site = tool.load_site();
    const std::vector<exam::CameraSource> sources = chosen_sources(site, options);
    if (!options.exam.empty() && site.find_exam(options.exam) == nullptr) {
        throw exam::UsageError(_f("exam \"{}\" is not in the site file", options.exam) +
                               site.suggest_exam(options.exam));
    }
    check_disk_before_start(site, sources, options);
    std::optional<exam::Journal> journal;
    std::error_code missing;
    if (std::filesystem::exists(site.paths.journal, missing)) {
        journal.emplace(exam::Journal::open(site));
    }
    std::mutex journal_mutex;
    std::mutex output_mutex;

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
    recorder.on_segment = [&](const exam::SegmentRecord& segment) {
        if (!journal) {
            return;
        }
        exam::JournalEntry entry;
        entry.kind = exam::EntryKind::segment;
        entry.exam = segment.exam;
        entry.room = segment.room;
        entry.camera = segment.camera;
        entry.note = _f("{} sha256 {} bytes {}", segment.file, segment.sha256, segment.bytes);
        const std::lock_guard lock{journal_mutex};
        try {
            journal->append(entry);
        } catch (const exam::Error& e) {
            recorder.on_event(segment.camera, _f("the journal refused the segment: {}", e.what()));
        }
    };

    struct sigaction action {};
    action.sa_handler = request_stop;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    std::cerr << _f("Recording {} camera(s) into {}; Ctrl-C stops.", sources.size(),
                    site.paths.recordings.string())
              << std::endl;
    const exam::RecordingOutcome outcome = exam::record_cameras(sources, recorder, g_stop);
    if (journal) {
        journal->close();
    }
    if (!outcome.held_elsewhere.empty() && outcome.held_elsewhere.size() == sources.size()) {
        throw exam::DeviceError(
            _f("another exam-camera record is recording {} already; nothing was recorded by "
               "this one (stop that one first, or record other cameras here)",
               fmt::join(outcome.held_elsewhere, ", ")));
    }
    if (!outcome.not_started.empty()) {
        throw exam::StorageError(
            _f("{} camera(s) were never recorded: {}; the others' segments are closed and "
               "indexed; fix the recordings folder and start again",
               outcome.not_started.size(), fmt::join(outcome.not_started, "; ")));
    }
    if (outcome.disk_full) {
        throw exam::StorageError(
            _f("recording stopped: the disk of {} is down to its reserve of {}; every segment "
               "written is closed and indexed; free space (old recordings the commission "
               "already has) and start again",
               site.paths.recordings.string(), exam::format_byte_size(site.recording.reserve)));
    }
    std::cerr << _("Recording stopped; every segment is closed and indexed.") << std::endl;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    exam::tool::Tool tool("exam-camera",
                          _("Record every room's cameras, take snapshots, export a verified "
                            "archive of the exam point's video."));
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
    return tool.run(argc, argv);
}
