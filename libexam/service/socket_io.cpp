#include "service/socket_io.hpp"
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <poll.h>
#include <unistd.h>

#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam::socket_io {
namespace {

// How often a wait looks at its stop flag.
constexpr std::chrono::milliseconds k_poll_slice{100};

// Milliseconds to poll() for: the time left, at most one slice, at least 0.
int poll_timeout(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::clamp(left, std::chrono::milliseconds{0}, k_poll_slice).count());
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
        reset(other.release());
    }
    return *this;
}

int UniqueFd::release() {
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

void UniqueFd::reset(int fd) {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
    m_fd = fd;
}

sockaddr_un unix_address(const std::filesystem::path& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string& text = path.native();
    if (text.size() >= sizeof(address.sun_path)) {
        throw ConfigError(
            _f("the recording service's socket path \"{}\" is {} bytes long, and a Unix "
               "socket's path may have at most {}: give [paths] data a shorter folder in the "
               "site file (docs/site-file.md)",
               text, text.size(), sizeof(address.sun_path) - 1));
    }
    std::memcpy(address.sun_path, text.data(), text.size());
    return address;
}

UniqueFd new_stream_socket() {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) {
        throw StorageError(_f("cannot make a Unix socket: {}", std::strerror(errno)));
    }
    return fd;
}

bool write_line(int fd, const std::string& line, Clock::time_point deadline) {
    const std::string text = line + '\n';
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t sent =
            ::send(fd, text.data() + written, text.size() - written, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent > 0) {
            written += static_cast<std::size_t>(sent);
            continue;
        }
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (Clock::now() >= deadline) {
                return false;
            }
            pollfd ready{fd, POLLOUT, 0};
            ::poll(&ready, 1, poll_timeout(deadline));
            continue;
        }
        return false;  // EPIPE, ECONNRESET: the peer is gone
    }
    return true;
}

ReadStatus LineReader::read_line(std::string& line, Clock::time_point deadline,
                                 const std::atomic<bool>* stop) {
    std::array<char, 4096> chunk{};
    for (;;) {
        if (const auto end = m_pending.find('\n'); end != std::string::npos) {
            if (end > m_max_bytes) {
                return ReadStatus::too_long;
            }
            line = m_pending.substr(0, end);
            m_pending.erase(0, end + 1);
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            return ReadStatus::line;
        }
        if (m_pending.size() > m_max_bytes) {
            return ReadStatus::too_long;
        }
        if (stop != nullptr && stop->load()) {
            return ReadStatus::stopped;
        }
        if (Clock::now() >= deadline) {
            return ReadStatus::timed_out;
        }
        pollfd ready{m_fd, POLLIN, 0};
        const int events = ::poll(&ready, 1, poll_timeout(deadline));
        if (events < 0 && errno != EINTR) {
            return ReadStatus::failed;
        }
        if (events <= 0) {
            continue;
        }
        const ssize_t got = ::recv(m_fd, chunk.data(), chunk.size(), MSG_DONTWAIT);
        if (got == 0) {
            return ReadStatus::closed;
        }
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
                continue;
            }
            return errno == ECONNRESET ? ReadStatus::closed : ReadStatus::failed;
        }
        m_pending.append(chunk.data(), static_cast<std::size_t>(got));
    }
}

}  // namespace exam::socket_io
