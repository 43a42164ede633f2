#include <algorithm>
#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <exam/core/site_loader.hpp>
#include <exam/precheck/runner.hpp>
#include <exam/util/translate.hpp>

#include "precheck/observed_json.hpp"

namespace exam {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// A probe gets this much beyond its timeout to report its own, more precise, timeout message
// before its process is killed. Two seconds, not a fraction: on a loaded machine (or the
// sanitizer build) the check process's own start-up can eat half a second, and then a silent
// server was reported as a killed check instead of "no answer within …".
constexpr std::chrono::milliseconds k_grace{2000};

// The check program's side of the pipes: the request on its standard input, the result on
// this descriptor (its standard output and error go to /dev/null).
constexpr int k_result_fd = 3;

std::string serialise(const CheckResult& result) {
    const json observed = observed_json::to_json<json>(result.observed);
    return json{{"status", to_string(result.status)},
                {"observed", observed},
                {"expected", result.expected},
                {"message", result.message},
                {"hint", result.hint}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
}

void deserialise(const std::string& text, CheckResult& result) {
    const json data = json::parse(text, nullptr, false);
    if (!data.is_object()) {
        result.status = CheckStatus::error;
        result.message = _("the check's process ended without a result");
        return;
    }
    result.status = check_status_from_string(data.value("status", "")).value_or(CheckStatus::error);
    result.expected = data.value("expected", "");
    result.message = data.value("message", "");
    // The probe's own advice, when it gave one; else the suite's stays.
    if (const std::string hint = data.value("hint", ""); !hint.empty()) {
        result.hint = hint;
    }
    result.observed = observed_json::from_json(data.value("observed", json{}));
}

std::int64_t to_ms(TimePoint time) {
    return time.time_since_epoch().count();
}
TimePoint from_ms(std::int64_t ms) {
    return TimePoint{std::chrono::milliseconds{ms}};
}

// What a fresh check process needs to run one check: the check and its context, as JSON on
// its standard input. The site travels as its file, loaded again (and checked again) there.
std::string request_text(const CheckSpec& check, const ProbeContext& context) {
    json request{{"check",
                  {{"id", check.id},
                   {"title", check.title},
                   {"type", check.type},
                   {"hint", check.hint},
                   {"parameters_json", check.parameters_json}}},
                 {"suite_folder", context.suite_folder.string()},
                 {"timeout_ms", context.timeout.count()},
                 // CLOCK_MONOTONIC is one clock for every process: the child takes what its
                 // own start-up cost off its budget, so that it still reports before the kill.
                 {"sent_steady_ns", Clock::now().time_since_epoch().count()},
                 {"now_ms", to_ms(context.now)}};
    if (context.exam) {
        request["exam"] = {to_ms(context.exam->checks_due), to_ms(context.exam->start),
                           to_ms(context.exam->end)};
    }
    if (context.site_timezone) {
        request["site_timezone"] = *context.site_timezone;
    }
    if (context.site != nullptr) {
        request["site_file"] = std::filesystem::absolute(context.site->file).string();
    }
    return request.dump(-1, ' ', false, json::error_handler_t::replace);
}

void write_all(int fd, const std::string& text) {
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        written += static_cast<std::size_t>(n);
    }
}

// The child's side before exec: the request on fd 0, the result on fd 3, nothing else open
// that matters; its own noise (OpenCV's and FFmpeg's warnings) goes nowhere.
[[noreturn]] void exec_check_program(const char* program, int request_fd, int result_fd) {
    ::setpgid(0, 0);
    // Out of the way first: a pipe end may sit on 0-3 itself (a descriptor another worker
    // had just closed), and dup2 onto a number must never hit the other end.
    request_fd = ::fcntl(request_fd, F_DUPFD_CLOEXEC, 10);
    result_fd = ::fcntl(result_fd, F_DUPFD_CLOEXEC, 10);
    const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (request_fd < 0 || result_fd < 0 || null_fd < 0) {
        ::_exit(127);
    }
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(null_fd, STDERR_FILENO);
    ::dup2(request_fd, STDIN_FILENO);
    ::dup2(result_fd, k_result_fd);  // dup2 clears close-on-exec on the copies
    char* const argv[] = {const_cast<char*>(program),
                          const_cast<char*>(k_check_program_argument.data()), nullptr};
    ::execv(program, argv);
    ::_exit(127);
}

// One attempt, in a child process that writes its result to a pipe; killed at the deadline.
// With a check program, the child execs it at once: a process forked from a threaded one may
// only do little safely (another thread may have held a lock at the fork), and a camera check
// starts threads of its own. Without one (library tests), the child runs the probe itself.
CheckResult attempt_isolated(const CheckSpec& check, const ProbeContext& context,
                             const std::filesystem::path& check_program) {
    CheckResult result;
    result.id = check.id;
    result.title = check.title;
    result.severity = check.severity;
    result.hint = check.hint;
    int fds[2];
    int request_fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        result.message = _("cannot create a pipe for the check's process");
        return result;
    }
    // The request goes over a socket pair, not a pipe: a child that died before reading it
    // then gives EPIPE to send(MSG_NOSIGNAL) instead of a SIGPIPE that would end the run.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, request_fds) != 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        result.message = _("cannot create a pipe for the check's process");
        return result;
    }
    const std::string request =
        check_program.empty() ? std::string{} : request_text(check, context);
    const std::string program = check_program.string();  // no allocation after the fork
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (!check_program.empty()) {
            exec_check_program(program.c_str(), request_fds[0], fds[1]);
        }
        ::setpgid(0, 0);
        ::close(fds[0]);
        write_all(fds[1], serialise(run_probe(check, context)));
        ::_exit(0);
    }
    ::close(fds[1]);
    ::close(request_fds[0]);
    if (pid < 0) {
        ::close(fds[0]);
        ::close(request_fds[1]);
        result.message = _("cannot start the check's process");
        return result;
    }
    // Small enough for the socket buffer: written whole before the result is read.
    for (std::size_t sent = 0; sent < request.size();) {
        const ssize_t n =
            ::send(request_fds[1], request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;  // the child is gone; its status says why
        }
        sent += static_cast<std::size_t>(n);
    }
    ::close(request_fds[1]);
    ::setpgid(pid, pid);
    const auto deadline = Clock::now() + context.timeout + k_grace;
    std::string output;
    bool timed_out = false;
    char buffer[4096];
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd waiting{fds[0], POLLIN, 0};
        const int ready = left <= 0 ? 0 : ::poll(&waiting, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            timed_out = true;
            break;
        }
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n > 0) {
            output.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    ::close(fds[0]);
    // The whole group, before the leader is reaped: until then its id cannot be reused, and
    // this also ends anything the check left running.
    ::kill(-pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (timed_out) {
        result.status = CheckStatus::error;
        result.message = _f("the check did not finish within its timeout of {} and was stopped",
                            format_duration(context.timeout));
        return result;
    }
    if (output.empty() && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        result.status = CheckStatus::error;
        result.message = _f("the check program {} could not be started", program);
        return result;
    }
    deserialise(output, result);
    return result;
}

// --only names a suite's check: "cameras" selects every "cameras:CAMERA" it became, and
// "cameras:0101-front" that one camera.
bool selected(const CheckSpec& check, const RunOptions& options) {
    if (!options.only.empty() &&
        std::none_of(options.only.begin(), options.only.end(), [&](const std::string& id) {
            return check.id == id || check.id.starts_with(id + ":");
        })) {
        return false;
    }
    if (!options.tags.empty()) {
        return std::any_of(options.tags.begin(), options.tags.end(), [&](const std::string& tag) {
            return std::find(check.tags.begin(), check.tags.end(), tag) != check.tags.end();
        });
    }
    return true;
}

}  // namespace

CheckResult run_check(const CheckSpec& check, const ProbeContext& context,
                      const std::filesystem::path& check_program) {
    const auto start = Clock::now();
    CheckResult result;
    for (int attempt = 1; attempt <= check.retries + 1; ++attempt) {
        if (attempt > 1) {
            // The suite asked to wait between tries; never longer than the check's timeout
            // (the suite's loader refuses a longer retry_delay, and this holds it anyway).
            std::this_thread::sleep_for(std::min<Milliseconds>(check.retry_delay, context.timeout));
        }
        result = attempt_isolated(check, context, check_program);
        result.attempts = attempt;
        if (result.status != CheckStatus::fail && result.status != CheckStatus::error) {
            break;
        }
    }
    if (result.status == CheckStatus::fail && check.severity == Severity::warning) {
        result.status = CheckStatus::warn;
    }
    result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return result;
}

int serve_check_request() {
    std::string request_text;
    char buffer[4096];
    for (ssize_t n = 0; (n = ::read(STDIN_FILENO, buffer, sizeof buffer)) != 0;) {
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return 1;
        }
        request_text.append(buffer, static_cast<std::size_t>(n));
    }
    CheckResult result;
    try {
        const json request = json::parse(request_text);
        CheckSpec check;
        check.id = request["check"]["id"];
        check.title = request["check"]["title"];
        check.type = request["check"]["type"];
        check.hint = request["check"].value("hint", "");
        check.parameters_json = request["check"]["parameters_json"];
        ProbeContext context;
        context.suite_folder = request["suite_folder"].get<std::string>();
        context.timeout = std::chrono::milliseconds{request["timeout_ms"].get<std::int64_t>()};
        const Clock::time_point sent{
            Clock::duration{request["sent_steady_ns"].get<std::int64_t>()}};
        const auto start_up =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent);
        context.spent = start_up;
        context.now = from_ms(request["now_ms"].get<std::int64_t>());
        if (request.contains("exam")) {
            const auto& exam = request["exam"];
            context.exam = ExamTimes{from_ms(exam[0].get<std::int64_t>()),
                                     from_ms(exam[1].get<std::int64_t>()),
                                     from_ms(exam[2].get<std::int64_t>())};
        }
        if (request.contains("site_timezone")) {
            context.site_timezone = request["site_timezone"].get<std::string>();
        }
        std::optional<Site> site;
        if (request.contains("site_file")) {
            site = load_site(request["site_file"].get<std::string>());
            context.site = &*site;
        }
        result = run_probe(check, context);
    } catch (const std::exception& e) {
        result.status = CheckStatus::error;
        result.message = _f("the check's process could not read its request: {}", e.what());
    }
    write_all(k_result_fd, serialise(result));
    return 0;
}

std::vector<CheckResult> run_suite(const Suite& suite, const RunOptions& options) {
    const std::vector<CheckSpec> expanded = expand_checks(suite, options.site);
    std::vector<const CheckSpec*> checks;
    for (const CheckSpec& check : expanded) {
        if (selected(check, options)) {
            checks.push_back(&check);
        }
    }
    std::vector<CheckResult> results(checks.size());
    std::atomic<std::size_t> next{0};
    std::mutex exclusive;  // checks marked exclusive (two opens of one device) never overlap
    auto work = [&] {
        for (std::size_t i = next++; i < checks.size(); i = next++) {
            const CheckSpec& check = *checks[i];
            ProbeContext context{
                suite.folder,          check.timeout.value_or(suite.default_timeout),
                options.now,           options.exam,
                options.site_timezone, options.site};
            if (check.exclusive) {
                const std::lock_guard lock{exclusive};
                results[i] = run_check(check, context, options.check_program);
            } else {
                results[i] = run_check(check, context, options.check_program);
            }
        }
    };
    const unsigned workers =
        std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(checks.size())));
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < workers; ++w) {
        pool.emplace_back(work);
    }
    for (std::thread& worker : pool) {
        worker.join();
    }
    return results;
}

}  // namespace exam
