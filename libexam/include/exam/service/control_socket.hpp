// The recording service's local control socket, server side: who is calling (from the
// kernel, never from what the client says), who may, and one line of JSON in, reply lines out.
// The protocol is docs/service-protocol.md; the client is service_client.hpp.
//
// Modes, and why: the socket file is 0660, its group the site's control group, so that the
// kernel itself turns away everyone else at connect(); the service still checks each caller
// (allowed()), because without the group (not created yet) the file's group is the service
// user's own, whose other members must not pass. The folder holding it (the data folder) may
// be 0750 and owned by the service user; the control group then needs search permission on it
// (the folder's group, or mode 0751), which docs/service-protocol.md tells the administrator.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include <exam/export.hpp>

namespace exam {

struct Site;

// site.paths.data / "exam-camera.sock".
EXAM_EXPORT std::filesystem::path control_socket_path(const Site& site);

// Who is at the other end of a connection, as the kernel saw it at connect() (SO_PEERCRED).
struct EXAM_EXPORT Caller {
    uid_t uid = 0;
    gid_t gid = 0;
    pid_t pid = 0;
    std::string user;  // the account's name, or "uid 1234" when the uid has no name
    // The login user's name (/proc/PID/loginuid) when it differs from `user`: root via sudo.
    std::string login;
    // The supplementary groups the caller's process held at connect() (SO_PEERGROUPS, else
    // /proc/PID/status): what setgroups() gave it, whatever /etc/group says now.
    std::vector<gid_t> groups;

    // "ivanov", or "root (login ivanov)": the person the journal names.
    [[nodiscard]] std::string display() const;
};

// Who may use the socket: root, the service's own user (the recordings' owner), and members
// of the site's control group.
struct ControlAccess {
    uid_t owner = 0;
    std::optional<gid_t> group;  // nullopt when no group of that name exists
    std::string group_name;
};

// The group may not exist: then only root and the owner may, which the caller says in its log.
// The account's name of `uid`, or "uid 1234" when it has none.
EXAM_EXPORT std::string user_name_of(uid_t uid);

EXAM_EXPORT ControlAccess control_access(uid_t owner, const std::string& group_name);

// True for root, the owner, and a caller in the group: as its primary or supplementary group
// at connect(), or as a member in the account database (/etc/group, the account's primary
// group) — one added to the group who has not logged in again is let in too.
EXAM_EXPORT bool allowed(const ControlAccess& access, const Caller& caller);

// What a refused caller is told: who may, and the command that would add them.
EXAM_EXPORT std::string refusal_message(const ControlAccess& access, const Caller& caller);

// One reply stream per request: zero or more progress lines, then one final reply. Each
// argument is one JSON object on one line (nlohmann's dump() without indentation).
class ReplyStream {
public:
    virtual ~ReplyStream() = default;
    virtual void progress(const std::string& json_object) = 0;  // {"progress": ...}
    virtual void finish(const std::string& json_object) = 0;    // the final {"ok": ...}
};

// A request: one line of JSON, an object with "v": 1 and "command" (a string). The handler
// gets the parsed command name and the whole request text (it parses its own arguments). An
// exam::Error it throws becomes the error reply with its exit code, so that the client throws
// the same type; a handler that finishes no reply is a bug, reported as one (70). It runs on
// its connection's own thread, several at once, and may take minutes (a start waits for
// keyframes); the server's destructor waits for every handler to return.
using ControlHandler = std::function<void(const Caller&, const std::string& command,
                                          const std::string& request_json, ReplyStream&)>;

// What one connection may cost the service.
struct ControlLimits {
    std::size_t max_connections = 32;  // live at once; more get a "busy" reply
    std::size_t max_request_bytes = 64 * 1024;
    // From connect() to the request's end of line: a client that says nothing is cut off.
    std::chrono::milliseconds request_timeout = std::chrono::seconds{10};
    // For each reply line the client does not read: a client that stopped reading is cut off.
    std::chrono::milliseconds write_timeout = std::chrono::seconds{10};
};

class EXAM_EXPORT ControlServer {
public:
    // Binds the socket: 0660, group `access.group` when set. A socket file left by a crash is
    // replaced; another live service refuses (UsageError "a recording service is already
    // running (pid N)"). A path too long for a Unix socket is a ConfigError naming it.
    ControlServer(std::filesystem::path socket, ControlAccess access, ControlHandler handler,
                  ControlLimits limits = {});
    ~ControlServer();  // stops, joins every connection's thread, unlinks the socket file
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    // Accepts connections, a thread each, until `stop` becomes true; returns within ~100 ms
    // of it. Connections still running their handler are joined by the destructor.
    void serve(const std::atomic<bool>& stop);

    // Connections whose thread has not ended yet (for tests and the status).
    [[nodiscard]] std::size_t live_connections() const;
    [[nodiscard]] const std::filesystem::path& path() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace exam
