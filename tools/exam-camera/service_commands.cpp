// exam-camera service, start, stop and list: the recording service and the everyday commands
// that talk to it over its control socket (docs/service-protocol.md).
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <exam/core/camera_choice.hpp>
#include <exam/service/control_socket.hpp>
#include <exam/service/recording_module.hpp>
#include <exam/service/service_client.hpp>
#include <exam/service/service_process.hpp>
#include <exam/util/error.hpp>
#include <exam/util/table.hpp>
#include <exam/util/translate.hpp>

#include "exam-camera/commands.hpp"
#include "exam-camera/stop_signals.hpp"

namespace exam::camera {
namespace {

using Json = nlohmann::json;

struct ServiceCommandOptions {
    std::string at;  // --at: a rehearsal's clock
};

struct SwitchOptions {
    CameraChoice cameras;
    bool force = false;
    std::string reason;
};

Json request_for(const std::string& command, const CameraChoice& cameras) {
    return Json{{"v", 1},
                {"command", command},
                {"all", cameras.all},
                {"rooms", cameras.rooms},
                {"cameras", cameras.cameras}};
}

int service(const tool::Tool& tool, const ServiceCommandOptions& options) {
    const Site site = tool.load_site();
    ServiceOptions service_options;
    if (!options.at.empty()) {
        service_options.at = parse_command_line_time(options.at, site.timezone, now());
    }
    const std::string user = become_recordings_owner(site);
    std::cerr << _f("exam-camera service: recording as {}", user) << std::endl;
    return run_service_loaded(site, service_options, stop_on_signals(), std::cerr);
}

// A service to talk to: the running one, or — where no systemd unit runs it — one started now.
void ensure_service(const Site& site) {
    if (service_running(control_socket_path(site))) {
        return;
    }
    if (const auto unit = installed_service_unit()) {
        throw ServiceNotRunning(
            _f("the recording service is not running; it is installed as a systemd unit ({}): "
               "start it with  sudo systemctl start exam-camera  and run this again",
               unit->string()));
    }
    std::cerr << _f("exam-camera: no recording service was running; starting one (its log: {})",
                    service_log_path(site).string())
              << std::endl;
    launch_service(site, std::filesystem::read_symlink("/proc/self/exe"));
}

int start(const tool::Tool& tool, const SwitchOptions& options) {
    const Site site = tool.load_site();
    chosen_cameras(site, options.cameras);  // a typo is said here, before any service starts
    if (options.cameras.empty()) {
        throw UsageError(_("say which cameras to start: --all, --room ROOM or --camera CAMERA"));
    }
    ensure_service(site);
    ask_service(control_socket_path(site), request_for("start", options.cameras).dump(),
                [](const std::string& line) {
                    const Json progress = Json::parse(line).at("progress");
                    const std::string camera = progress.value("camera", "");
                    if (progress.value("recording", false)) {
                        std::cout << _f("{}: recording", camera) << std::endl;
                    } else {
                        std::cout << _f("{}: NOT recording: {}", camera,
                                        progress.value("problem", ""))
                                  << std::endl;
                    }
                });
    return 0;
}

int stop(const tool::Tool& tool, const SwitchOptions& options) {
    const Site site = tool.load_site();
    chosen_cameras(site, options.cameras);
    if (options.cameras.empty()) {
        throw UsageError(_("say which cameras to stop: --all, --room ROOM or --camera CAMERA"));
    }
    if (options.force && options.reason.empty()) {
        throw UsageError(
            _("--force needs --reason TEXT: why the recording stops inside its "
              "window goes into the journal"));
    }
    Json request = request_for("stop", options.cameras);
    request["force"] = options.force;
    request["reason"] = options.reason;
    ask_service(control_socket_path(site), request.dump(), [](const std::string& line) {
        const Json progress = Json::parse(line).at("progress");
        std::cout << (progress.value("stopped", false)
                          ? _f("{}: stopped; its files are complete and indexed",
                               progress.value("camera", ""))
                          : _f("{}: was not recording", progress.value("camera", "")))
                  << std::endl;
    });
    return 0;
}

int list(const tool::Tool& tool) {
    const Site site = tool.load_site();
    Table table({{_("ROOM")},
                 {_("KIND")},
                 {_("ROOM LABEL")},
                 {_("CAMERA")},
                 {_("CAMERA LABEL")},
                 {_("SOUND")}});
    for (const Room& room : site.rooms) {
        for (const Camera& camera : room.cameras) {
            table.add_row({room.id, std::string{to_string(room.kind)}, room.label, camera.id,
                           camera.label, site.keeps_sound(room, camera) ? _("kept") : _("off")});
        }
    }
    table.render(std::cout, tool.stdout_palette());
    return 0;
}

void add_choice(CLI::App* command, CameraChoice& cameras) {
    command->add_flag("--all", cameras.all, _("Every camera of the site"));
    command->add_option("--room", cameras.rooms, _("Every camera of this room"))->type_name("ROOM");
    command->add_option("--camera", cameras.cameras, _("This camera"))->type_name("CAMERA");
}

}  // namespace

void add_service_commands(tool::Tool& tool) {
    auto service_options = std::make_shared<ServiceCommandOptions>();
    auto* service_command = tool.add_command(
        "service",
        _("Run the recording service in the foreground (what the systemd unit starts): each "
          "room records on its recording window by itself; start, stop, status and snapshot "
          "talk to it"),
        [&tool, service_options] { return service(tool, *service_options); });
    service_command
        ->add_option("--at", service_options->at,
                     _("Rehearsal: the schedule runs as if it were this time now (recordings "
                       "and the journal keep the real time)"))
        ->type_name("TIME");

    auto start_options = std::make_shared<SwitchOptions>();
    auto* start_command = tool.add_command(
        "start",
        _("Start recording now (the service is started first where no systemd unit runs it); "
          "returns once every chosen camera has written its first keyframe"),
        [&tool, start_options] { return start(tool, *start_options); });
    add_choice(start_command, start_options->cameras);

    auto stop_options = std::make_shared<SwitchOptions>();
    auto* stop_command = tool.add_command(
        "stop",
        _("Stop recording; returns once the files are complete and indexed. Inside a room's "
          "recording window it needs --force --reason"),
        [&tool, stop_options] { return stop(tool, *stop_options); });
    add_choice(stop_command, stop_options->cameras);
    stop_command->add_flag("--force", stop_options->force,
                           _("Stop inside the recording window (needs --reason)"));
    stop_command->add_option("--reason", stop_options->reason, _("Why, for the journal"));

    tool.add_command("list", _("The site's rooms and cameras"), [&tool] { return list(tool); });
    add_status_command(tool);
}

}  // namespace exam::camera
