// Helpers for the control socket's tests: a server serving on its own thread, a raw client
// that sends any bytes, and a child process that acts as another user.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

#include <exam/service/control_socket.hpp>

namespace exam::testing {

// A ControlServer whose serve() runs on a thread of its own until the object goes.
class ServingControlServer {
public:
    ServingControlServer(const std::filesystem::path& socket, const ControlAccess& access,
                         ControlHandler handler, ControlLimits limits = {});
    ~ServingControlServer();
    ServingControlServer(const ServingControlServer&) = delete;
    ServingControlServer& operator=(const ServingControlServer&) = delete;

    ControlServer& server() { return m_server; }
    // Sets the stop flag and waits for serve() to return; how long that took.
    std::chrono::milliseconds stop();

private:
    ControlServer m_server;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

// A connected client socket (closed by the destructor), for sending what no real client would.
class RawClient {
public:
    explicit RawClient(const std::filesystem::path& socket);
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    void send(const std::string& bytes);
    // Everything the server writes until it closes the connection, or nothing by `deadline`.
    std::optional<std::string> read_to_end(std::chrono::milliseconds deadline);
    // The first line the server writes (without its newline), or nothing by `deadline`.
    std::optional<std::string> read_line(std::chrono::milliseconds deadline);
    void close();

private:
    int m_fd = -1;
    std::string m_pending;
};

// The whole exchange: `bytes` sent, everything read back until the server closes.
std::optional<std::string> send_and_read_all(const std::filesystem::path& socket,
                                             const std::string& bytes);

struct Identity {
    uid_t uid = 65534;  // nobody
    gid_t gid = 65534;
    std::vector<gid_t> groups;       // supplementary, as setgroups() sets them
    std::optional<uid_t> login_uid;  // written to /proc/self/loginuid first (root only)
};

// A child process forked at construction — before the test starts any thread, so that the
// child may do anything a process may — that takes `identity` and runs `body` once run() is
// called, returning the string the body returned (or "exception: ..." for one it threw).
class ChildAs {
public:
    ChildAs(const Identity& identity, std::function<std::string()> body);
    ~ChildAs();
    ChildAs(const ChildAs&) = delete;
    ChildAs& operator=(const ChildAs&) = delete;

    std::string run(std::chrono::milliseconds deadline = std::chrono::seconds{20});

private:
    pid_t m_pid = -1;
    int m_go = -1;
    int m_result = -1;
};

}  // namespace exam::testing
