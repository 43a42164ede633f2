// Servers the tests start for real (an RTSP camera, cupsd): started in their own process
// group, watched through their standard output, and stopped by process id when the test ends.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace exam::testing {

class BackgroundProcess {
public:
    // Standard error goes to `log` (read it when a test fails); standard output to a pipe
    // that wait_for_line() reads.
    BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
    ~BackgroundProcess();
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;

    // The first line of standard output that starts with `prefix`, or nothing if none came
    // (or the process ended) within `deadline`.
    std::optional<std::string> wait_for_line(std::string_view prefix,
                                             std::chrono::milliseconds deadline);
    // SIGTERM to the group, then SIGKILL if it has not ended within `grace`. Returns the
    // process's wait status (WIFEXITED, WEXITSTATUS), or -1 when it was already stopped.
    int stop(std::chrono::milliseconds grace = std::chrono::seconds{2});
    // The wait status once the process has ended by itself, or nothing within `deadline`.
    std::optional<int> wait_for_exit(std::chrono::milliseconds deadline);
    // SIGKILL to the group, as a crash or a power cut would end it; waits for it.
    void kill_now();
    [[nodiscard]] pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    int m_output = -1;
    std::string m_buffer;
};

// A TCP listener on a free loopback port that completes handshakes but never reads or
// answers: the kernel accepts for it from the backlog. A camera or server that hangs.
class SilentListener {
public:
    SilentListener();
    ~SilentListener();
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;
    [[nodiscard]] int port() const { return m_port; }

private:
    int m_fd = -1;
    int m_port = 0;
};

// Polls `condition` until it holds or `deadline` passes; the tests' stand-in for sleeping.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds deadline);

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_loopback_port();

// True when something accepts TCP connections on 127.0.0.1:port.
bool accepts_connections(int port);

}  // namespace exam::testing
