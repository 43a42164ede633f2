#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <exam/precheck/probes.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/subprocess.hpp>
#include <exam/util/translate.hpp>

#include "precheck/check_values.hpp"
#include "precheck/command_probe.hpp"
#include "precheck/exam_point_probes.hpp"
#include "precheck/observed_json.hpp"
#include "precheck/time_probes.hpp"

namespace exam {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

CheckResult outcome(CheckStatus status, std::string message) {
    CheckResult result;
    result.status = status;
    result.message = std::move(message);
    return result;
}

std::filesystem::path resolve(const ProbeContext& context, const std::string& path) {
    const std::filesystem::path written{path};
    return written.is_absolute() ? written : context.suite_folder / written;
}

// --- file ----------------------------------------------------------------------------------

CheckResult probe_file(const json& parameters, const ProbeContext& context) {
    const std::filesystem::path path = resolve(context, parameters["path"].get<std::string>());
    struct stat status {};
    CheckResult result;
    result.expected = _f("{} exists", path.string());
    if (::lstat(path.c_str(), &status) != 0) {
        result.status =
            errno == ENOENT || errno == ENOTDIR ? CheckStatus::fail : CheckStatus::error;
        result.message = _f("{}: {}", path.string(), std::strerror(errno));
        return result;
    }
    result.observed = Observed{static_cast<double>(status.st_size), "bytes"};
    const auto fail = [&result](std::string message) {
        result.status = CheckStatus::fail;
        result.message = std::move(message);
        return result;
    };
    if (parameters.contains("kind")) {
        const std::string kind = parameters["kind"];
        const std::string found = S_ISDIR(status.st_mode)   ? "directory"
                                  : S_ISLNK(status.st_mode) ? "symlink"
                                  : S_ISREG(status.st_mode) ? "file"
                                                            : "other";
        if (kind != found) {
            return fail(_f("{} is a {}, expected a {}", path.string(), found, kind));
        }
    }
    if (parameters.contains("mode")) {
        const std::string mode = parameters["mode"];
        const unsigned found = status.st_mode & 07777;
        if (check_values::parse_file_mode(mode) != found) {
            return fail(_f("{} has mode {:04o}, expected {}", path.string(), found, mode));
        }
    }
    if (parameters.contains("owner")) {
        const passwd* owner = ::getpwuid(status.st_uid);
        const std::string found = owner ? owner->pw_name : std::to_string(status.st_uid);
        if (found != parameters["owner"].get<std::string>()) {
            return fail(_f("{} is owned by {}, expected {}", path.string(), found,
                           parameters["owner"].get<std::string>()));
        }
    }
    const auto size = static_cast<std::uint64_t>(status.st_size);
    if (parameters.contains("min_size") &&
        size < *parse_byte_size(parameters["min_size"].get<std::string>())) {
        return fail(_f("{} has {} bytes, expected at least {}", path.string(), size,
                       parameters["min_size"].get<std::string>()));
    }
    if (parameters.contains("max_size") &&
        size > *parse_byte_size(parameters["max_size"].get<std::string>())) {
        return fail(_f("{} has {} bytes, expected at most {}", path.string(), size,
                       parameters["max_size"].get<std::string>()));
    }
    if (parameters.contains("sha256")) {
        const std::string found = to_hex(sha256_file(path));
        if (found != parameters["sha256"].get<std::string>()) {
            return fail(_f("{} has SHA-256 {}, expected {}", path.string(), found,
                           parameters["sha256"].get<std::string>()));
        }
    }
    result.status = CheckStatus::pass;
    result.message = _f("{} is as expected", path.string());
    return result;
}

// --- network -------------------------------------------------------------------------------

// Connects within the deadline; returns the socket or -1 with `error` set.
int connect_with_deadline(const std::string& host, const std::string& port,
                          Clock::time_point deadline, std::string& error) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* addresses = nullptr;
    if (const int code = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &addresses); code != 0) {
        error = _f("cannot resolve {}: {}", host, ::gai_strerror(code));
        return -1;
    }
    int fd = -1;
    for (addrinfo* address = addresses; address != nullptr && fd < 0; address = address->ai_next) {
        fd = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                      address->ai_protocol);
        if (fd < 0) {
            continue;
        }
        if (::connect(fd, address->ai_addr, address->ai_addrlen) != 0 && errno != EINPROGRESS) {
            error = std::strerror(errno);
            ::close(fd);
            fd = -1;
            continue;
        }
        pollfd waiting{fd, POLLOUT, 0};
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        int socket_error = 0;
        socklen_t length = sizeof socket_error;
        if (left <= 0 || ::poll(&waiting, 1, static_cast<int>(left)) != 1 ||
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &socket_error, &length) != 0 ||
            socket_error != 0) {
            error =
                socket_error != 0 ? std::strerror(socket_error) : _("no answer before the timeout");
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(addresses);
    return fd;
}

CheckResult probe_tcp(const json& parameters, const ProbeContext& context) {
    const std::string address = parameters["address"];
    const auto parts = parse_host_port(address);  // checked when the suite loaded
    if (!parts) {
        return outcome(CheckStatus::error, _f("\"{}\" is not host:port", address));
    }
    std::string error;
    const auto start = Clock::now();
    const int fd = connect_with_deadline(parts->host, parts->port, start + context.budget(), error);
    CheckResult result;
    result.expected = _f("{} accepts a connection", address);
    if (fd < 0) {
        result.status = CheckStatus::fail;
        result.message = _f("cannot connect to {}: {}", address, error);
        return result;
    }
    ::close(fd);
    result.status = CheckStatus::pass;
    result.observed = Observed{
        static_cast<double>(
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count()),
        "ms"};
    result.message = _f("{} accepted a connection", address);
    return result;
}

// --- processes and resources ---------------------------------------------------------------

CheckResult probe_process(const json& parameters, const ProbeContext&) {
    const std::string name = parameters["name"];
    const int minimum = parameters.value("min_count", 1);
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string pid = entry.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::ifstream comm(entry.path() / "comm");
        std::string found;
        if (std::getline(comm, found) && found == name) {
            ++count;
        }
    }
    CheckResult result;
    result.observed = Observed{static_cast<double>(count), "processes"};
    result.expected = _f("at least {} process named {}", minimum, name);
    result.status = count >= minimum ? CheckStatus::pass : CheckStatus::fail;
    result.message = _f("{} processes named {} are running", count, name);
    return result;
}

CheckResult probe_disk(const json& parameters, const ProbeContext& context) {
    const std::filesystem::path path = resolve(context, parameters["path"].get<std::string>());
    struct statvfs fs {};
    if (::statvfs(path.c_str(), &fs) != 0) {
        return outcome(CheckStatus::error,
                       _f("cannot examine {}: {}", path.string(), std::strerror(errno)));
    }
    const std::uint64_t free_bytes = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
    const std::uint64_t total = static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize;
    const std::string wanted = parameters["min_free"];
    CheckResult result;
    result.expected = _f("at least {} free on {}", wanted, path.string());
    bool enough = false;
    if (wanted.back() == '%') {
        const double percent =
            total == 0 ? 0 : 100.0 * static_cast<double>(free_bytes) / static_cast<double>(total);
        result.observed = Observed{percent, "%"};
        enough = percent >= std::stod(wanted.substr(0, wanted.size() - 1));
        // xgettext:no-c-format — "% f" is not printf's: fmt's {} do the formatting.
        result.message = _f("{:.1f}% free on {}", percent, path.string());
    } else {
        result.observed = Observed{static_cast<double>(free_bytes), "bytes"};
        enough = free_bytes >= *parse_byte_size(wanted);
        result.message = _f("{} free on {}", format_byte_size(free_bytes), path.string());
    }
    result.status = enough ? CheckStatus::pass : CheckStatus::fail;
    return result;
}

CheckResult probe_memory(const json& parameters, const ProbeContext&) {
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::uint64_t value = 0;
    std::string unit;
    std::uint64_t total = 0;
    std::uint64_t available = 0;
    while (meminfo >> key >> value >> unit) {
        if (key == "MemTotal:")
            total = value * 1024;
        if (key == "MemAvailable:")
            available = value * 1024;
    }
    if (total == 0) {
        return outcome(CheckStatus::error, _("cannot read /proc/meminfo"));
    }
    const std::string wanted = parameters["min_available"];
    CheckResult result;
    result.expected = _f("at least {} of memory available", wanted);
    bool enough = false;
    if (wanted.back() == '%') {
        const double percent = 100.0 * static_cast<double>(available) / static_cast<double>(total);
        result.observed = Observed{percent, "%"};
        enough = percent >= std::stod(wanted.substr(0, wanted.size() - 1));
    } else {
        result.observed = Observed{static_cast<double>(available), "bytes"};
        enough = available >= *parse_byte_size(wanted);
    }
    result.status = enough ? CheckStatus::pass : CheckStatus::fail;
    result.message =
        _f("{} of {} memory available", format_byte_size(available), format_byte_size(total));
    return result;
}

CheckResult probe_cpu_load(const json& parameters, const ProbeContext&) {
    std::ifstream loadavg("/proc/loadavg");
    double load = 0;
    if (!(loadavg >> load)) {
        return outcome(CheckStatus::error, _("cannot read /proc/loadavg"));
    }
    const double maximum = parameters["max_load"].get<double>();
    CheckResult result;
    result.observed = Observed{load, ""};
    result.expected = _f("a 1-minute load average of at most {:g}", maximum);
    result.status = load <= maximum ? CheckStatus::pass : CheckStatus::fail;
    result.message = _f("the 1-minute load average is {:.2f}", load);
    return result;
}

CheckResult probe_dns(const json& parameters, const ProbeContext&) {
    const std::string name = parameters["name"];
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* addresses = nullptr;
    const int code = ::getaddrinfo(name.c_str(), nullptr, &hints, &addresses);
    CheckResult result;
    result.expected =
        parameters.contains("expect_address")
            ? _f("{} resolves to {}", name, parameters["expect_address"].get<std::string>())
            : _f("{} resolves", name);
    if (code != 0) {
        result.status =
            code == EAI_AGAIN || code == EAI_SYSTEM ? CheckStatus::error : CheckStatus::fail;
        result.message = _f("{} does not resolve: {}", name, ::gai_strerror(code));
        return result;
    }
    std::vector<std::string> found;
    for (addrinfo* address = addresses; address != nullptr; address = address->ai_next) {
        char text[INET6_ADDRSTRLEN] = {};
        const void* raw = address->ai_family == AF_INET
                              ? static_cast<const void*>(
                                    &reinterpret_cast<sockaddr_in*>(address->ai_addr)->sin_addr)
                              : static_cast<const void*>(
                                    &reinterpret_cast<sockaddr_in6*>(address->ai_addr)->sin6_addr);
        if (::inet_ntop(address->ai_family, raw, text, sizeof text) != nullptr &&
            std::find(found.begin(), found.end(), text) == found.end()) {
            found.emplace_back(text);
        }
    }
    ::freeaddrinfo(addresses);
    std::string list;
    for (const std::string& address : found) {
        list += list.empty() ? "" : ", ";
        list += address;
    }
    result.observed = Observed{list, ""};
    const bool expected = !parameters.contains("expect_address") ||
                          std::find(found.begin(), found.end(),
                                    parameters["expect_address"].get<std::string>()) != found.end();
    result.status = expected ? CheckStatus::pass : CheckStatus::fail;
    result.message = _f("{} resolves to {}", name, list);
    return result;
}

CheckResult probe_package(const json& parameters, const ProbeContext& context) {
    const std::string name = parameters["name"];
    const SubprocessResult query =
        run_subprocess({.argv = {"dpkg-query", "-W", "-f=${Status}\t${Version}", name},
                        .timeout = context.budget()});
    CheckResult result;
    result.expected = parameters.contains("version")
                          ? _f("{} {} installed", name, parameters["version"].get<std::string>())
                          : _f("{} installed", name);
    const auto tab = query.standard_output.find('\t');
    if (query.exit_code != 0 || tab == std::string::npos ||
        query.standard_output.substr(0, tab) != "install ok installed") {
        result.status = CheckStatus::fail;
        result.message = _f("the package {} is not installed", name);
        return result;
    }
    const std::string version = query.standard_output.substr(tab + 1);
    result.observed = Observed{version, ""};
    result.message = _f("{} {} is installed", name, version);
    result.status = CheckStatus::pass;
    if (parameters.contains("version")) {
        // ">= 1.2": Debian's own comparison decides, by dpkg's rules.
        const std::string constraint = parameters["version"];
        const auto parts = check_values::parse_version_constraint(constraint);  // checked at load
        if (!parts) {
            return outcome(CheckStatus::error,
                           _f("\"{}\" is not a version constraint such as \">= 1.2\"", constraint));
        }
        const SubprocessResult compare =
            run_subprocess({.argv = {"dpkg", "--compare-versions", version,
                                     std::string{parts->relation}, parts->version},
                            .timeout = context.budget()});
        if (compare.exit_code != 0) {
            result.status = CheckStatus::fail;
            result.message = _f("{} {} is installed, which is not {}", name, version, constraint);
        }
    }
    return result;
}

CheckResult probe_service(const json& parameters, const ProbeContext& context) {
    const std::string unit = parameters["unit"];
    CheckResult result;
    result.expected = _f("the systemd unit {} is active", unit);
    const SubprocessResult query =
        run_subprocess({.argv = {"systemctl", "is-active", unit}, .timeout = context.budget()});
    std::string state = query.standard_output;
    while (!state.empty() && (state.back() == '\n' || state.back() == ' ')) {
        state.pop_back();
    }
    // Without systemd as init (containers, build machines) systemctl answers nothing on
    // stdout and explains on stderr: that is "could not check", not "inactive".
    if (state.empty()) {
        std::string why = query.standard_error.substr(0, query.standard_error.find('\n'));
        return outcome(CheckStatus::error, _f("cannot ask systemd about {}: {}", unit,
                                              why.empty() ? _("systemctl gave no answer") : why));
    }
    result.observed = Observed{state, ""};
    result.status = state == "active" ? CheckStatus::pass : CheckStatus::fail;
    result.message = _f("{} is {}", unit, state);
    return result;
}

}  // namespace

CheckResult run_probe(const CheckSpec& check, const ProbeContext& context) {
    using Probe = CheckResult (*)(const json&, const ProbeContext&);
    // The types as a table, as ninja lists its subcommands.
    static const std::array<std::pair<std::string_view, Probe>, 16> k_probes{{
        {"command", probe_command},
        {"file", probe_file},
        {"package", probe_package},
        {"process", probe_process},
        {"service", probe_service},
        {"disk", probe_disk},
        {"memory", probe_memory},
        {"cpu-load", probe_cpu_load},
        {"tcp", probe_tcp},
        {"dns", probe_dns},
        {"http", probe_http},
        {"window", [](const json&, const ProbeContext& c) { return probe_window(c); }},
        {"clock", probe_clock},
        {"camera", probe_camera},
        {"printer", probe_printer},
        {"recording-storage", probe_recording_storage},
    }};
    CheckResult result = outcome(CheckStatus::error, _f("unknown check type \"{}\"", check.type));
    ProbeContext probe_context = context;
    probe_context.suite_hint = check.hint;
    try {
        const json parameters = json::parse(check.parameters_json);
        for (const auto& [type, probe] : k_probes) {
            if (type == check.type) {
                result = probe(parameters, probe_context);
            }
        }
    } catch (const std::exception& e) {
        result = outcome(CheckStatus::error, _f("the check could not run: {}", e.what()));
    }
    result.id = check.id;
    result.title = check.title;
    result.severity = check.severity;
    if (result.hint.empty()) {
        result.hint = check.hint;
    }
    return result;
}

}  // namespace exam
