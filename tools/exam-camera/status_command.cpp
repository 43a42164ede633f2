// exam-camera status: what every camera is doing, from the recording service; --watch redraws
// it in place every second on a terminal, as top does.
#include <iostream>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <exam/service/camera_status.hpp>
#include <exam/service/control_socket.hpp>
#include <exam/service/service_client.hpp>
#include <exam/util/translate.hpp>

#include "exam-camera/commands.hpp"
#include "exam-camera/stop_signals.hpp"

namespace exam::camera {
namespace {

struct StatusOptions {
    bool json = false;
    bool watch = false;
};

std::string status_reply(const Site& site) {
    const std::string reply =
        ask_service(control_socket_path(site), R"({"v":1,"command":"status"})");
    return nlohmann::json::parse(reply).at("status").dump();
}

int status(const tool::Tool& tool, const StatusOptions& options) {
    const Site site = tool.load_site();
    if (!options.watch) {
        const std::string text = status_reply(site);
        if (options.json) {
            std::cout << nlohmann::json::parse(text).dump(2) << '\n';
        } else {
            std::cout << status_table(parse_status_json(text), site.timezone,
                                      tool.stdout_palette().enabled());
        }
        return 0;
    }
    const bool terminal = ::isatty(STDOUT_FILENO) == 1;
    const std::atomic<bool>& stop = stop_on_signals();
    while (!stop.load()) {
        const std::string table = status_table(parse_status_json(status_reply(site)), site.timezone,
                                               tool.stdout_palette().enabled());
        // Home and clear on a terminal; one table after another in a pipe or a log.
        std::cout << (terminal ? "\x1b[H\x1b[2J" : "") << table << std::flush;
        if (!terminal) {
            std::cout << '\n';
        }
        std::this_thread::sleep_for(std::chrono::seconds{1});  // the redraw's pace
    }
    return 0;
}

}  // namespace

void add_status_command(tool::Tool& tool) {
    auto options = std::make_shared<StatusOptions>();
    auto* command = tool.add_command(
        "status",
        _("Per camera: state, since when, bytes today, the current segment, gaps today, picture "
          "health, sound and alarms, from the recording service"),
        [&tool, options] { return status(tool, *options); });
    command->add_flag("--json", options->json,
                      _("JSON on standard output (docs/status-format.md)"));
    command->add_flag("--watch", options->watch, _("Redraw every second until Ctrl-C"));
}

}  // namespace exam::camera
