// The commands' side of the control socket: connect, one request, its replies.
#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

#include <exam/service/service_client.hpp>
#include <exam/util/translate.hpp>

#include "service/reply_lines.hpp"
#include "service/socket_io.hpp"

namespace exam {
namespace {

using socket_io::Clock;
using socket_io::UniqueFd;

// A status of sixty cameras is some tens of KiB; this only bounds a runaway reply.
constexpr std::size_t k_max_reply_bytes = 16 * 1024 * 1024;

// The kernel turned us away at connect(): say from the files' own facts who may, since the
// client does not know the site's rule. The socket's mode and group say it — or, where the
// folder may not even be searched (the data folder `exam-journal init` makes is the control
// group's alone, 2770), the folder's.
[[noreturn]] void refuse_by_mode(const std::filesystem::path& socket, int connect_error) {
    const std::string user = socket_io::user_name(::geteuid());
    struct stat info {};
    std::filesystem::path closed = socket;
    if (::stat(socket.c_str(), &info) != 0) {
        const int socket_error = errno;
        closed = socket.parent_path();
        if (::stat(closed.c_str(), &info) != 0) {
            throw PermissionError(_f(
                "{} cannot reach the recording service's socket {}: {}; ask the administrator to "
                "let the control group ([service] control_group) search the folder "
                "{} (docs/service-protocol.md)",
                user, socket.string(), std::strerror(socket_error), closed.string()));
        }
    }
    const std::string group = socket_io::group_name(info.st_gid);
    throw PermissionError(
        _f("{} may not use the recording service ({} on {}): {} is "
           "open only to {} and members of group {}; ask the administrator "
           "to add you: `adduser {} {}` (then log in again)",
           user, std::strerror(connect_error), socket.string(), closed.string(),
           socket_io::user_name(info.st_uid), group, user, group));
}

[[noreturn]] void throw_not_running(const std::filesystem::path& socket) {
    throw ServiceNotRunning(
        _f("no recording service is running: nothing answers on {}; start one with "
           "`exam-camera service` (or its systemd unit, where one is installed)",
           socket.string()));
}

enum class Connected { yes, nobody_listens };

Connected connect_to(int fd, const std::filesystem::path& socket) {
    const sockaddr_un address = socket_io::unix_address(socket);
    while (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        switch (errno) {
            case EINTR: continue;
            case ENOENT:
            case ECONNREFUSED:  // a socket file a crashed service left behind
                return Connected::nobody_listens;
            case EACCES:
            case EPERM: refuse_by_mode(socket, errno);
            case EAGAIN:
                throw DeviceError(
                    _f("the recording service at {} is too busy to take a connection; "
                       "try again in a moment",
                       socket.string()));
            default:
                throw DeviceError(_f("cannot connect to the recording service at {}: {}",
                                     socket.string(), std::strerror(errno)));
        }
    }
    return Connected::yes;
}

[[noreturn]] void throw_error_reply(int code, const std::string& message) {
    switch (static_cast<ExitCode>(code)) {
        case ExitCode::usage: throw UsageError(message);
        case ExitCode::bad_input: throw InputError(message);
        case ExitCode::unavailable: throw DeviceError(message);
        case ExitCode::storage: throw StorageError(message);
        case ExitCode::no_permission: throw PermissionError(message);
        case ExitCode::config: throw ConfigError(message);
        default: throw InternalError(message);
    }
}

}  // namespace

ServiceNotRunning::~ServiceNotRunning() = default;

std::string ask_service(const std::filesystem::path& socket, const std::string& request_json,
                        const std::function<void(const std::string&)>& on_progress,
                        Milliseconds timeout) {
    if (request_json.find('\n') != std::string::npos) {
        throw InternalError("a request to the recording service with a newline in it");
    }
    const auto deadline = Clock::now() + timeout;
    UniqueFd fd = socket_io::new_stream_socket();
    if (connect_to(fd.get(), socket) == Connected::nobody_listens) {
        throw_not_running(socket);
    }
    // A refused caller's connection is closed before the request is read: the write may fail,
    // and the refusal is still there to read.
    socket_io::write_line(fd.get(), request_json, deadline);
    socket_io::LineReader reader(fd.get(), k_max_reply_bytes);
    for (std::string line;;) {
        switch (reader.read_line(line, deadline)) {
            case socket_io::ReadStatus::line: break;
            case socket_io::ReadStatus::timed_out:
            case socket_io::ReadStatus::stopped:
                throw DeviceError(
                    _f("no reply from the recording service within {}; it may be "
                       "stuck: see its log",
                       format_elapsed(timeout)));
            case socket_io::ReadStatus::too_long:
                throw InternalError(
                    _f("the recording service's reply is longer than {} bytes", k_max_reply_bytes));
            case socket_io::ReadStatus::closed:
            case socket_io::ReadStatus::failed:
                throw DeviceError(
                    _("the recording service hung up without a reply: did it stop "
                      "or crash? See its log"));
        }
        const reply_lines::Reply reply = reply_lines::read_reply(line);
        switch (reply.kind) {
            case reply_lines::ReplyKind::progress:
                if (on_progress) {
                    on_progress(line);
                }
                continue;
            case reply_lines::ReplyKind::final_reply: return line;
            case reply_lines::ReplyKind::error: throw_error_reply(reply.code, reply.message);
            case reply_lines::ReplyKind::malformed:
                throw InternalError(
                    _f("the recording service sent a line that is not a reply "
                       "(docs/service-protocol.md): {}",
                       line.substr(0, 200)));
        }
    }
}

bool service_running(const std::filesystem::path& socket) {
    UniqueFd fd = socket_io::new_stream_socket();
    return connect_to(fd.get(), socket) == Connected::yes;
}

}  // namespace exam
