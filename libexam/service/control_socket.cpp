// The control socket's server: one listening socket, a thread per connection, one request per
// connection. Whatever a connection sends costs that connection only.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <list>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <exam/service/control_socket.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "service/reply_lines.hpp"
#include "service/socket_io.hpp"

namespace exam {
namespace {

using socket_io::Clock;
using socket_io::UniqueFd;

constexpr int k_backlog = 64;

// Another service holds the lock: name its pid, which the kernel gives for a connection.
[[noreturn]] void refuse_second_service(const std::filesystem::path& socket,
                                        const std::filesystem::path& lock) {
    UniqueFd probe = socket_io::new_stream_socket();
    const sockaddr_un address = socket_io::unix_address(socket);
    if (::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0) {
        ucred credentials{};
        socklen_t length = sizeof(credentials);
        ::getsockopt(probe.get(), SOL_SOCKET, SO_PEERCRED, &credentials, &length);
        throw UsageError(
            _f("a recording service is already running (pid {}) on {}: use it "
               "(`exam-camera status`), or stop it before starting another",
               credentials.pid, socket.string()));
    }
    throw UsageError(
        _f("another recording service is starting on {} (it holds {}): wait for it, "
           "or stop it before starting another",
           socket.string(), lock.string()));
}

// The lock beside the socket, held for the service's life: two services starting at once
// cannot both decide that the socket file is stale. Never removed (that would race).
UniqueFd take_lock(const std::filesystem::path& socket) {
    std::filesystem::path lock = socket;
    lock += ".lock";
    UniqueFd fd(::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid()) {
        throw StorageError(
            _f("cannot open the recording service's lock file {}: {}; the folder "
               "must be writable by the service's user",
               lock.string(), std::strerror(errno)));
    }
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        refuse_second_service(socket, lock);
    }
    return fd;
}

// With the lock held, a socket file at the path is one a crashed service left behind.
void remove_stale_socket(const std::filesystem::path& socket) {
    struct stat info {};
    if (::lstat(socket.c_str(), &info) != 0) {
        return;
    }
    if (!S_ISSOCK(info.st_mode)) {
        throw StorageError(
            _f("{} is in the way of the recording service's socket and is not a "
               "socket: move it away",
               socket.string()));
    }
    ::unlink(socket.c_str());
}

UniqueFd bind_socket(const std::filesystem::path& socket, const ControlAccess& access) {
    const sockaddr_un address = socket_io::unix_address(socket);
    UniqueFd fd = socket_io::new_stream_socket();
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        throw StorageError(_f("cannot make the recording service's socket {}: {}", socket.string(),
                              std::strerror(errno)));
    }
    // Group and mode before listen(): until then nobody can connect, so nobody slips in
    // under the mode the umask gave.
    if (access.group && ::chown(socket.c_str(), static_cast<uid_t>(-1), *access.group) != 0) {
        // A user may give a file only to a group it is a member of.
        const std::string user = socket_io::user_name(::geteuid());
        throw StorageError(
            _f("cannot give the recording service's socket {} to group {}: {}; "
               "the service's user must be a member of it: `adduser {} {}`",
               socket.string(), access.group_name, std::strerror(errno), user, access.group_name));
    }
    if (::chmod(socket.c_str(), 0660) != 0) {
        throw StorageError(_f("cannot set the mode of the recording service's socket {}: {}",
                              socket.string(), std::strerror(errno)));
    }
    if (::listen(fd.get(), k_backlog) != 0) {
        throw StorageError(_f("cannot listen on the recording service's socket {}: {}",
                              socket.string(), std::strerror(errno)));
    }
    return fd;
}

// The reply stream of one connection. A client that hung up or stopped reading loses its
// lines; the handler carries on (a start the client gave up waiting for still starts).
class SocketReplyStream final : public ReplyStream {
public:
    SocketReplyStream(int fd, std::chrono::milliseconds write_timeout)
        : m_fd(fd), m_write_timeout(write_timeout) {}

    void progress(const std::string& json_object) override {
        if (m_finished) {
            throw InternalError("a progress line after the final reply");
        }
        send(json_object);
    }
    void finish(const std::string& json_object) override {
        if (m_finished) {
            throw InternalError("a second final reply");
        }
        m_finished = true;
        send(json_object);
    }
    void fail(ExitCode code, const std::string& message) {
        m_finished = true;
        send(reply_lines::error_reply(code, message));
    }
    [[nodiscard]] bool finished() const { return m_finished; }

private:
    void send(const std::string& line) {
        if (line.find('\n') != std::string::npos) {
            throw InternalError("a reply line with a newline in it");
        }
        if (!m_gone) {
            m_gone = !socket_io::write_line(m_fd, line, Clock::now() + m_write_timeout);
        }
    }

    int m_fd;
    std::chrono::milliseconds m_write_timeout;
    bool m_finished = false;
    bool m_gone = false;
};

struct Connection {
    std::thread thread;
    std::atomic<bool> done{false};
};

}  // namespace

struct ControlServer::State {
    std::filesystem::path path;
    ControlAccess access;
    ControlHandler handler;
    ControlLimits limits;
    UniqueFd lock;
    UniqueFd listener;
    ino_t inode = 0;
    std::atomic<bool> stopping{false};
    mutable std::mutex mutex;
    std::list<Connection> connections;

    void serve_connection(UniqueFd fd, Clock::time_point accepted);
    void answer(int fd, const Caller& caller, const std::string& line);
    void reap_finished();
};

void ControlServer::State::reap_finished() {
    const std::lock_guard guard(mutex);
    connections.remove_if([](Connection& connection) {
        if (!connection.done.load()) {
            return false;
        }
        connection.thread.join();
        return true;
    });
}

void ControlServer::State::serve_connection(UniqueFd fd, Clock::time_point accepted) {
    const auto reply_error = [&](ExitCode code, const std::string& message) {
        socket_io::write_line(fd.get(), reply_lines::error_reply(code, message),
                              Clock::now() + limits.write_timeout);
    };
    const Caller caller = socket_io::caller_of(fd.get());
    if (!allowed(access, caller)) {
        // Refused before a byte is read: a stranger's request is never parsed.
        reply_error(ExitCode::no_permission, refusal_message(access, caller));
        ::shutdown(fd.get(), SHUT_WR);
        return;
    }
    socket_io::LineReader reader(fd.get(), limits.max_request_bytes);
    std::string line;
    switch (reader.read_line(line, accepted + limits.request_timeout, &stopping)) {
        case socket_io::ReadStatus::line: answer(fd.get(), caller, line); return;
        case socket_io::ReadStatus::too_long:
            reply_error(ExitCode::bad_input,
                        _f("the request is longer than {} bytes without an end of line; a request "
                           "is one line of JSON (docs/service-protocol.md)",
                           limits.max_request_bytes));
            return;
        case socket_io::ReadStatus::timed_out:
            reply_error(ExitCode::bad_input,
                        _f("no request came within {} ms of connecting; a request is one line of "
                           "JSON ending with a newline (docs/service-protocol.md)",
                           limits.request_timeout.count()));
            return;
        case socket_io::ReadStatus::stopped:
            reply_error(ExitCode::unavailable, _("the recording service is stopping"));
            return;
        case socket_io::ReadStatus::closed:
        case socket_io::ReadStatus::failed: return;
    }
}

void ControlServer::State::answer(int fd, const Caller& caller, const std::string& line) {
    SocketReplyStream stream(fd, limits.write_timeout);
    const reply_lines::Request request = reply_lines::parse_request(line);
    if (!request.problem.empty()) {
        stream.fail(ExitCode::bad_input, request.problem);
        return;
    }
    try {
        handler(caller, request.command, line, stream);
    } catch (const Error& error) {
        if (!stream.finished()) {
            stream.fail(error.exit_code(), error.what());
        }
    } catch (const std::exception& error) {
        if (!stream.finished()) {
            stream.fail(ExitCode::internal,
                        _f("internal error in the recording service: {}; please report it with "
                           "the command you ran",
                           error.what()));
        }
    }
    if (!stream.finished()) {
        stream.fail(ExitCode::internal,
                    _f("the recording service gave no reply to \"{}\"; please report it with "
                       "the command you ran",
                       request.command));
    }
}

ControlServer::ControlServer(std::filesystem::path socket, ControlAccess access,
                             ControlHandler handler, ControlLimits limits)
    : m_state(std::make_unique<State>()) {
    State& state = *m_state;
    socket_io::unix_address(socket);  // a path too long is said before anything is made
    state.path = std::move(socket);
    state.access = std::move(access);
    state.handler = std::move(handler);
    state.limits = limits;
    state.lock = take_lock(state.path);
    remove_stale_socket(state.path);
    state.listener = bind_socket(state.path, state.access);
    struct stat info {};
    if (::stat(state.path.c_str(), &info) == 0) {
        state.inode = info.st_ino;
    }
}

ControlServer::~ControlServer() {
    State& state = *m_state;
    state.stopping = true;
    {
        const std::lock_guard guard(state.mutex);
        for (Connection& connection : state.connections) {
            connection.thread.join();
        }
        state.connections.clear();
    }
    state.listener.reset();
    // Only our own socket: one a later service made in its place is not ours to remove.
    struct stat info {};
    if (::lstat(state.path.c_str(), &info) == 0 && info.st_ino == state.inode) {
        ::unlink(state.path.c_str());
    }
}

void ControlServer::serve(const std::atomic<bool>& stop) {
    State& state = *m_state;
    while (!stop.load() && !state.stopping.load()) {
        state.reap_finished();
        pollfd ready{state.listener.get(), POLLIN, 0};
        if (::poll(&ready, 1, 100) <= 0) {
            continue;
        }
        UniqueFd fd(::accept4(state.listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!fd.valid()) {
            if (errno == EMFILE || errno == ENFILE) {
                ::poll(nullptr, 0, 100);  // no descriptor free: wait for connections to end
            }
            continue;  // or the client gave up already: the next one
        }
        const auto accepted = Clock::now();
        state.reap_finished();  // threads that ended while we waited make room
        const std::lock_guard guard(state.mutex);
        if (state.connections.size() >= state.limits.max_connections) {
            socket_io::write_line(
                fd.get(),
                reply_lines::error_reply(
                    ExitCode::unavailable,
                    _f("the recording service is busy with {} connections at once; try again "
                       "in a moment",
                       state.connections.size())),
                accepted);
            continue;
        }
        Connection& connection = state.connections.emplace_back();
        connection.thread = std::thread([&state, &connection, accepted, owned = fd.release()] {
            try {
                state.serve_connection(UniqueFd(owned), accepted);
            } catch (...) {
                // A connection's failure (its credentials unreadable) is that connection's.
            }
            connection.done = true;
        });
    }
    state.stopping = true;
}

std::size_t ControlServer::live_connections() const {
    const std::lock_guard guard(m_state->mutex);
    return static_cast<std::size_t>(
        std::count_if(m_state->connections.begin(), m_state->connections.end(),
                      [](const Connection& connection) { return !connection.done.load(); }));
}

const std::filesystem::path& ControlServer::path() const {
    return m_state->path;
}

}  // namespace exam
