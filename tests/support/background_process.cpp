#include "support/background_process.hpp"
#include <csignal>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace exam::testing {

using Clock = std::chrono::steady_clock;

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::filesystem::path& log) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe2 failed");
    }
    std::vector<char*> args;
    for (const std::string& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    const std::string log_path = log.string();
    m_pid = ::fork();
    if (m_pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (m_pid == 0) {
        ::setpgid(0, 0);
        ::dup2(fds[1], STDOUT_FILENO);
        const int err = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (err >= 0) {
            ::dup2(err, STDERR_FILENO);
        }
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::setpgid(m_pid, m_pid);  // both sides, so that stop() never races the child's own call
    ::close(fds[1]);
    m_output = fds[0];
}

BackgroundProcess::~BackgroundProcess() {
    stop();
    if (m_output >= 0) {
        ::close(m_output);
    }
}

std::optional<std::string> BackgroundProcess::wait_for_line(std::string_view prefix,
                                                            std::chrono::milliseconds deadline) {
    const auto give_up = Clock::now() + deadline;
    while (true) {
        for (std::size_t end = m_buffer.find('\n'); end != std::string::npos;
             end = m_buffer.find('\n')) {
            std::string line = m_buffer.substr(0, end);
            m_buffer.erase(0, end + 1);
            if (line.starts_with(prefix)) {
                return line;
            }
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(give_up - Clock::now());
        if (left.count() <= 0 || m_output < 0) {
            return std::nullopt;
        }
        pollfd watch{m_output, POLLIN, 0};
        if (::poll(&watch, 1, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        char chunk[512];
        const ssize_t n = ::read(m_output, chunk, sizeof chunk);
        if (n <= 0) {
            return std::nullopt;  // the process ended
        }
        m_buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

int BackgroundProcess::stop(std::chrono::milliseconds grace) {
    if (m_pid <= 0) {
        return -1;
    }
    ::kill(-m_pid, SIGTERM);
    int status = 0;
    const bool ended =
        eventually([&] { return ::waitpid(m_pid, &status, WNOHANG) == m_pid; }, grace);
    if (!ended) {
        ::kill(-m_pid, SIGKILL);
        ::waitpid(m_pid, &status, 0);
    }
    ::kill(-m_pid, SIGKILL);  // anything it left behind in its group
    m_pid = -1;
    return status;
}

std::optional<int> BackgroundProcess::wait_for_exit(std::chrono::milliseconds deadline) {
    int status = 0;
    if (m_pid <= 0 ||
        !eventually([&] { return ::waitpid(m_pid, &status, WNOHANG) == m_pid; }, deadline)) {
        return std::nullopt;
    }
    ::kill(-m_pid, SIGKILL);  // anything it left behind in its group
    m_pid = -1;
    return status;
}

void BackgroundProcess::kill_now() {
    if (m_pid <= 0) {
        return;
    }
    ::kill(-m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds deadline) {
    const auto give_up = Clock::now() + deadline;
    while (!condition()) {
        if (Clock::now() >= give_up) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{20});  // polling interval
    }
    return true;
}

int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

SilentListener::SilentListener() {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(m_fd, 16);
    socklen_t length = sizeof address;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);
}

SilentListener::~SilentListener() {
    ::close(m_fd);
}

bool accepts_connections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool connected =
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

}  // namespace exam::testing
