#include "support/control_socket.hpp"
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace exam::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Reads what is there within the time left: appended to `into`; false at end of stream.
bool read_some(int fd, std::string& into, Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd ready{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0) {
        return true;
    }
    std::array<char, 4096> chunk{};
    const ssize_t got = ::read(fd, chunk.data(), chunk.size());
    if (got <= 0) {
        return false;
    }
    into.append(chunk.data(), static_cast<std::size_t>(got));
    return true;
}

}  // namespace

ServingControlServer::ServingControlServer(const std::filesystem::path& socket,
                                           const ControlAccess& access, ControlHandler handler,
                                           ControlLimits limits)
    : m_server(socket, access, std::move(handler), limits),
      m_thread([this] { m_server.serve(m_stop); }) {}

ServingControlServer::~ServingControlServer() {
    stop();
}

std::chrono::milliseconds ServingControlServer::stop() {
    const auto asked = Clock::now();
    m_stop = true;
    if (m_thread.joinable()) {
        m_thread.join();
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked);
}

RawClient::RawClient(const std::filesystem::path& socket) {
    m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket.c_str(), sizeof(address.sun_path) - 1);
    if (::connect(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        const std::string reason = std::strerror(errno);
        ::close(m_fd);
        throw std::runtime_error("cannot connect to " + socket.string() + ": " + reason);
    }
}

RawClient::~RawClient() {
    close();
}

void RawClient::close() {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

void RawClient::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t now = ::send(m_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (now <= 0) {
            return;  // the server closed: what it said is still there to read
        }
        sent += static_cast<std::size_t>(now);
    }
}

std::optional<std::string> RawClient::read_to_end(std::chrono::milliseconds deadline) {
    const auto until = Clock::now() + deadline;
    while (Clock::now() < until) {
        if (!read_some(m_fd, m_pending, until)) {
            return std::exchange(m_pending, {});
        }
    }
    return std::nullopt;
}

std::optional<std::string> RawClient::read_line(std::chrono::milliseconds deadline) {
    const auto until = Clock::now() + deadline;
    for (;;) {
        if (const auto end = m_pending.find('\n'); end != std::string::npos) {
            std::string line = m_pending.substr(0, end);
            m_pending.erase(0, end + 1);
            return line;
        }
        if (Clock::now() >= until || !read_some(m_fd, m_pending, until)) {
            return std::nullopt;
        }
    }
}

std::optional<std::string> send_and_read_all(const std::filesystem::path& socket,
                                             const std::string& bytes) {
    RawClient client(socket);
    client.send(bytes);
    return client.read_to_end(std::chrono::seconds{20});
}

ChildAs::ChildAs(const Identity& identity, std::function<std::string()> body) {
    int go[2];
    int result[2];
    if (::pipe2(go, O_CLOEXEC) != 0 || ::pipe2(result, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe2 failed");
    }
    m_pid = ::fork();
    if (m_pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (m_pid == 0) {
        ::close(go[1]);
        ::close(result[0]);
        char signal = 0;
        if (::read(go[0], &signal, 1) != 1) {
            ::_exit(1);
        }
        std::string answer;
        bool became = true;
        if (identity.login_uid) {
            std::ofstream(std::string{"/proc/self/loginuid"}) << *identity.login_uid;
        }
        became = ::setgroups(identity.groups.size(), identity.groups.data()) == 0 &&
                 ::setgid(identity.gid) == 0 && ::setuid(identity.uid) == 0;
        if (!became) {
            answer = std::string{"could not become the other user: "} + std::strerror(errno);
        } else {
            try {
                answer = body();
            } catch (const std::exception& error) {
                answer = std::string{"exception: "} + error.what();
            }
        }
        std::size_t written = 0;
        while (written < answer.size()) {
            const ssize_t now =
                ::write(result[1], answer.data() + written, answer.size() - written);
            if (now <= 0) {
                break;
            }
            written += static_cast<std::size_t>(now);
        }
        ::_exit(0);
    }
    ::close(go[0]);
    ::close(result[1]);
    m_go = go[1];
    m_result = result[0];
}

ChildAs::~ChildAs() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    ::close(m_go);
    ::close(m_result);
}

std::string ChildAs::run(std::chrono::milliseconds deadline) {
    const char signal = 'g';
    if (::write(m_go, &signal, 1) != 1) {
        throw std::runtime_error("cannot tell the child to go");
    }
    std::string answer;
    const auto until = Clock::now() + deadline;
    while (Clock::now() < until) {
        if (!read_some(m_result, answer, until)) {
            ::waitpid(m_pid, nullptr, 0);
            m_pid = -1;
            return answer;
        }
    }
    throw std::runtime_error("the child gave no answer in time; so far: " + answer);
}

}  // namespace exam::testing
