// exam-camera: recording of every room's cameras, the recording service, snapshots, the
// commission's archive and retention.
#include <iostream>

#include <unistd.h>

#include <exam/journal/entry.hpp>
#include <exam/service/recording_module.hpp>
#include <exam/util/translate.hpp>

#include "commands.hpp"
#include "common/tool.hpp"
#include "exam-camera/stop_signals.hpp"

namespace {

struct RecordOptions {
    exam::CameraChoice cameras;
    std::string exam;
    std::string heartbeat;  // empty: every minute on a terminal, none otherwise
};

// Runs in the foreground until Ctrl-C or SIGTERM (service/recording_session does the work).
int record(const exam::tool::Tool& tool, const RecordOptions& options) {
    const exam::Site site = tool.load_site();
    const exam::RecordingRequest request{
        .cameras = options.cameras,
        .exam = options.exam.empty() ? std::nullopt : std::optional<std::string>{options.exam},
        .heartbeat = exam::heartbeat_interval(options.heartbeat, ::isatty(STDERR_FILENO) == 1),
        .actor = exam::tool::acting_person()};
    return exam::run_recording_loaded(site, request, exam::camera::stop_on_signals(),
                                      exam::camera::stop_reason, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
    exam::tool::Tool tool("exam-camera",
                          _("Record every room's cameras into indexed segments whose hashes go "
                            "into the exam point's journal."));
    RecordOptions options;
    auto* record_command = tool.add_command(
        "record",
        _("Record cameras in the foreground until Ctrl-C: stream copy into segments, indexed"),
        [&] { return record(tool, options); });
    record_command->add_flag("--all", options.cameras.all, _("Every camera of the site"));
    record_command->add_option("--room", options.cameras.rooms, _("Every camera of this room"))
        ->type_name("ROOM");
    record_command->add_option("--camera", options.cameras.cameras, _("This camera"))
        ->type_name("CAMERA");
    record_command->add_option("--exam", options.exam,
                               _("The exam the recording belongs to, for the index"));
    record_command
        ->add_option("--heartbeat", options.heartbeat,
                     _("Print cameras recording, bytes and gaps this often (default: every "
                       "minute when standard error is a terminal; 0: never)"))
        ->type_name("DURATION");
    add_verify_command(tool);
    add_export_command(tool);
    exam::camera::add_coverage_command(tool);
    exam::camera::add_purge_command(tool);
    exam::camera::add_hold_commands(tool);
    exam::camera::add_service_commands(tool);
    exam::camera::add_snapshot_command(tool);
    return tool.run(argc, argv);
}
