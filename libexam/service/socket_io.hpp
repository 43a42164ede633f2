// What the control socket's server and client share: the address (sun_path's limit), a
// descriptor that closes itself, lines read and written against a deadline, and the names of
// accounts and groups. Private to libexam.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <exam/service/control_socket.hpp>

namespace exam::socket_io {

using Clock = std::chrono::steady_clock;

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept;
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    [[nodiscard]] int get() const { return m_fd; }
    [[nodiscard]] bool valid() const { return m_fd >= 0; }
    int release();
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

// The address of a Unix socket at `path`; a ConfigError naming the path when it does not fit
// sun_path (107 bytes and the terminating zero).
sockaddr_un unix_address(const std::filesystem::path& path);

// A new stream socket, close-on-exec; StorageError when the system has none to give.
UniqueFd new_stream_socket();

// Writes `line` and a newline before `deadline`. False when the peer is gone or stopped
// reading (never SIGPIPE).
bool write_line(int fd, const std::string& line, Clock::time_point deadline);

enum class ReadStatus { line, closed, too_long, timed_out, stopped, failed };

// Reads one line (without its newline, and without a CR before it) of at most `max_bytes`.
// Bytes after the newline stay in `pending` for the next call. Gives up at `deadline`, or
// within ~100 ms of `stop` becoming true when `stop` is given.
class LineReader {
public:
    LineReader(int fd, std::size_t max_bytes) : m_fd(fd), m_max_bytes(max_bytes) {}
    ReadStatus read_line(std::string& line, Clock::time_point deadline,
                         const std::atomic<bool>* stop = nullptr);

private:
    int m_fd;
    std::size_t m_max_bytes;
    std::string m_pending;
};

// The account's name, or "uid 1234" when the uid has none.
std::string user_name(uid_t uid);
// The group's name, or "gid 1234" when the gid has none.
std::string group_name(gid_t gid);

// The caller at the other end of an accepted connection, from the kernel's credentials.
Caller caller_of(int connection);

}  // namespace exam::socket_io
