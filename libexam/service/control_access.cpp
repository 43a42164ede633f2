// Who is calling and who may: the kernel's credentials of the peer, and the site's rule
// (root, the recordings' owner, the control group).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <exam/core/site.hpp>
#include <exam/service/control_socket.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "service/socket_io.hpp"

namespace exam {
namespace {

// getpwuid_r and friends want a buffer whose size nobody knows in advance: grown on ERANGE.
template <typename Lookup>
bool with_buffer(Lookup lookup) {
    std::vector<char> buffer(1024);
    for (;;) {
        const int error = lookup(buffer);
        if (error != ERANGE) {
            return error == 0;
        }
        buffer.resize(buffer.size() * 2);
    }
}

struct Account {
    std::string name;
    gid_t primary_group = 0;
};

std::optional<Account> account(uid_t uid) {
    std::optional<Account> found;
    with_buffer([&](std::vector<char>& buffer) {
        passwd entry{};
        passwd* result = nullptr;
        const int error = ::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &result);
        if (error == 0 && result != nullptr) {
            found = Account{entry.pw_name, entry.pw_gid};
        }
        return error;
    });
    return found;
}

// The groups /etc/group (and the account's primary group) give the user, whatever its
// processes hold.
std::vector<gid_t> account_groups(uid_t uid) {
    const std::optional<Account> user = account(uid);
    if (!user) {
        return {};
    }
    std::vector<gid_t> groups(32);
    for (;;) {
        int count = static_cast<int>(groups.size());
        if (::getgrouplist(user->name.c_str(), user->primary_group, groups.data(), &count) >= 0) {
            groups.resize(static_cast<std::size_t>(count));
            return groups;
        }
        groups.resize(static_cast<std::size_t>(count) > groups.size()
                          ? static_cast<std::size_t>(count)
                          : groups.size() * 2);
    }
}

// The peer's supplementary groups as they were at connect(); /proc/PID/status's "Groups:"
// line on a kernel without SO_PEERGROUPS (before 4.13).
std::vector<gid_t> peer_groups(int connection, pid_t pid) {
    std::vector<gid_t> groups(64);
    for (int attempt = 0; attempt < 4; ++attempt) {
        auto length = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
        if (::getsockopt(connection, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &length) == 0) {
            groups.resize(length / sizeof(gid_t));
            return groups;
        }
        if (errno != ERANGE) {
            break;
        }
        groups.resize(length / sizeof(gid_t) + 1);
    }
    groups.clear();
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("Groups:", 0) == 0) {
            std::istringstream numbers(line.substr(7));
            for (gid_t group = 0; numbers >> group;) {
                groups.push_back(group);
            }
        }
    }
    return groups;
}

// The uid the process's login session began with (set once by PAM at login, kept across
// sudo and su), or nothing when it was never set (a service, a container).
std::optional<uid_t> login_uid(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/loginuid");
    unsigned long value = 0;
    if (!(file >> value) || value == static_cast<uid_t>(-1)) {
        return std::nullopt;
    }
    return static_cast<uid_t>(value);
}

}  // namespace

std::filesystem::path control_socket_path(const Site& site) {
    return site.paths.data / "exam-camera.sock";
}

std::string Caller::display() const {
    return login.empty() ? user : fmt::format("{} (login {})", user, login);
}

std::string user_name_of(uid_t uid) {
    return socket_io::user_name(uid);
}

ControlAccess control_access(uid_t owner, const std::string& group_name) {
    ControlAccess access{owner, std::nullopt, group_name};
    with_buffer([&](std::vector<char>& buffer) {
        group entry{};
        group* result = nullptr;
        const int error =
            ::getgrnam_r(group_name.c_str(), &entry, buffer.data(), buffer.size(), &result);
        if (error == 0 && result != nullptr) {
            access.group = entry.gr_gid;
        }
        return error;
    });
    return access;
}

bool allowed(const ControlAccess& access, const Caller& caller) {
    if (caller.uid == 0 || caller.uid == access.owner) {
        return true;
    }
    if (!access.group) {
        return false;
    }
    const gid_t group = *access.group;
    if (caller.gid == group ||
        std::find(caller.groups.begin(), caller.groups.end(), group) != caller.groups.end()) {
        return true;
    }
    const std::vector<gid_t> listed = account_groups(caller.uid);
    return std::find(listed.begin(), listed.end(), group) != listed.end();
}

std::string refusal_message(const ControlAccess& access, const Caller& caller) {
    const std::string owner = socket_io::user_name(access.owner);
    if (!access.group) {
        return _f(
            "{} is not allowed to control the recording service: only root and {} may, "
            "because the group \"{}\" ([service] control_group in the site file) does not "
            "exist; to let others in, create it and add them: `addgroup --system {}`, "
            "`adduser {} {}`, then restart the service",
            caller.display(), owner, access.group_name, access.group_name, caller.user,
            access.group_name);
    }
    return _f(
        "{} is not allowed to control the recording service: only root, {} and members "
        "of group {} may; ask the administrator to add you: `adduser {} {}` (then log in "
        "again)",
        caller.display(), owner, access.group_name, caller.user, access.group_name);
}

namespace socket_io {

std::string user_name(uid_t uid) {
    const std::optional<Account> user = account(uid);
    return user ? user->name : fmt::format("uid {}", uid);
}

std::string group_name(gid_t gid) {
    std::optional<std::string> name;
    with_buffer([&](std::vector<char>& buffer) {
        group entry{};
        group* result = nullptr;
        const int error = ::getgrgid_r(gid, &entry, buffer.data(), buffer.size(), &result);
        if (error == 0 && result != nullptr) {
            name = entry.gr_name;
        }
        return error;
    });
    return name ? *name : fmt::format("gid {}", gid);
}

Caller caller_of(int connection) {
    ucred credentials{};
    socklen_t length = sizeof(credentials);
    if (::getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
        throw InternalError(_f("cannot read the caller's credentials: {}", std::strerror(errno)));
    }
    Caller caller;
    caller.uid = credentials.uid;
    caller.gid = credentials.gid;
    caller.pid = credentials.pid;
    caller.user = user_name(caller.uid);
    caller.groups = peer_groups(connection, caller.pid);
    if (const std::optional<uid_t> login = login_uid(caller.pid); login && *login != caller.uid) {
        caller.login = user_name(*login);
    }
    return caller;
}

}  // namespace socket_io
}  // namespace exam
