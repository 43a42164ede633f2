#include <csignal>

#include <exam/journal/entry.hpp>

#include "exam-camera/stop_signals.hpp"

namespace exam::camera {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_stop_signal{0};

void request_stop(int signal) {
    g_stop_signal.store(signal);
    g_stop.store(true);
}

}  // namespace

const std::atomic<bool>& stop_on_signals() {
    struct sigaction action {};
    action.sa_handler = request_stop;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    return g_stop;
}

std::string_view stop_reason() {
    return g_stop_signal.load() == SIGTERM ? recording_reason::sigterm : recording_reason::ctrl_c;
}

}  // namespace exam::camera
