#include <array>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <exam/service/control_socket.hpp>
#include <exam/service/service_client.hpp>
#include <exam/service/service_process.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

namespace fs = std::filesystem;

// How long a service just launched has to answer on its socket.
constexpr auto k_launch_wait = std::chrono::seconds{15};

struct Account {
    std::string name;
    gid_t group = 0;
};

std::optional<Account> account_of(uid_t uid) {
    std::array<char, 4096> buffer{};
    passwd entry{};
    passwd* found = nullptr;
    if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
        return std::nullopt;
    }
    return Account{found->pw_name, found->pw_gid};
}

void require_writable(const fs::path& folder, std::string_view what, const std::string& user) {
    if (::access(folder.c_str(), W_OK | X_OK) != 0) {
        throw ConfigError(
            _f("the {} folder {} cannot be written by {}, the user the recording "
               "service runs as; give it to that user: chown -R {} {}",
               what, folder.string(), user, user, folder.string()));
    }
}

std::string last_lines(const fs::path& file, std::size_t count) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line);
        if (lines.size() > count) {
            lines.erase(lines.begin());
        }
    }
    std::string text;
    for (const std::string& kept : lines) {
        text += "\n  " + kept;
    }
    return text;
}

}  // namespace

std::string become_recordings_owner(const Site& site) {
    const fs::path& recordings = site.paths.recordings;
    if (::geteuid() != 0) {
        const auto self = account_of(::geteuid());
        const std::string user = self ? self->name : std::to_string(::geteuid());
        require_writable(recordings, _("recordings"), user);
        require_writable(site.paths.data, _("data"), user);
        return user;
    }
    struct stat status {};
    if (::stat(recordings.c_str(), &status) != 0) {
        throw ConfigError(
            _f("the recordings folder {} does not exist; create it for the user "
               "the service runs as, e.g. install -d -o examkit -g examkit {}",
               recordings.string(), recordings.string()));
    }
    if (status.st_uid == 0) {
        throw ConfigError(
            _f("the recordings folder {} belongs to root, and the recording service does not "
               "record as root (every file would be root's); give the recordings and data "
               "folders to the user that records, e.g. chown -R examkit:examkit {} {}, or "
               "start the service as that user",
               recordings.string(), recordings.string(), site.paths.data.string()));
    }
    const auto owner = account_of(status.st_uid);
    const gid_t group = owner ? owner->group : status.st_gid;
    const bool groups_set =
        owner ? ::initgroups(owner->name.c_str(), group) == 0 : ::setgroups(0, nullptr) == 0;
    if (!groups_set || ::setgid(group) != 0 || ::setuid(status.st_uid) != 0 || ::setuid(0) == 0) {
        throw ConfigError(_f("could not become {}, the owner of {}: {}",
                             owner ? owner->name : std::to_string(status.st_uid),
                             recordings.string(), std::strerror(errno)));
    }
    const std::string user = owner ? owner->name : std::to_string(status.st_uid);
    require_writable(recordings, _("recordings"), user);
    require_writable(site.paths.data, _("data"), user);
    return user;
}

std::optional<fs::path> installed_service_unit() {
    for (const char* folder :
         {"/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"}) {
        const fs::path unit = fs::path{folder} / "exam-camera.service";
        std::error_code error;
        if (fs::exists(unit, error)) {
            return unit;
        }
    }
    return std::nullopt;
}

fs::path service_log_path(const Site& site) {
    return site.paths.data / "exam-camera-service.log";
}

void launch_service(const Site& site, const fs::path& executable) {
    const fs::path log = service_log_path(site);
    const std::string site_file = fs::absolute(site.file).string();
    const pid_t child = ::fork();
    if (child < 0) {
        throw DeviceError(_f("cannot start the recording service: {}", std::strerror(errno)));
    }
    if (child == 0) {
        // The middle process: a new session, then the service as its child, so that the
        // service belongs to no terminal and is nobody's zombie.
        ::setsid();
        if (::fork() != 0) {
            ::_exit(0);
        }
        const int null = ::open("/dev/null", O_RDONLY);
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (null >= 0) {
            ::dup2(null, STDIN_FILENO);
        }
        if (out >= 0) {
            ::dup2(out, STDOUT_FILENO);
            ::dup2(out, STDERR_FILENO);
        }
        const std::string program = executable.string();
        const char* argv[] = {program.c_str(), "--site", site_file.c_str(), "service", nullptr};
        ::execv(program.c_str(), const_cast<char* const*>(argv));
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    const fs::path socket = control_socket_path(site);
    const auto deadline = std::chrono::steady_clock::now() + k_launch_wait;
    while (std::chrono::steady_clock::now() < deadline) {
        if (service_running(socket)) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{100});  // polling, with a deadline
    }
    throw DeviceError(
        _f("the recording service did not come up within {} s; its log {} "
           "ends:{}",
           k_launch_wait.count(), log.string(), last_lines(log, 8)));
}

}  // namespace exam
