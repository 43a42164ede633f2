#include <algorithm>
#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <exam/precheck/runner.hpp>
#include <exam/util/translate.hpp>

#include "precheck/observed_json.hpp"

namespace exam {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// A probe gets this much beyond its timeout to report its own, more precise, timeout message
// before its process is killed.
constexpr std::chrono::milliseconds k_grace{500};

std::string serialise(const CheckResult& result) {
    const json observed = observed_json::to_json<json>(result.observed);
    return json{{"status", to_string(result.status)},
                {"observed", observed},
                {"expected", result.expected},
                {"message", result.message}}
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
    result.observed = observed_json::from_json(data.value("observed", json{}));
}

// One attempt, in a forked child that writes its result to a pipe; killed at the deadline.
CheckResult attempt_isolated(const CheckSpec& check, const ProbeContext& context) {
    CheckResult result;
    result.id = check.id;
    result.title = check.title;
    result.severity = check.severity;
    result.hint = check.hint;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        result.message = _("cannot create a pipe for the check's process");
        return result;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::close(fds[0]);
        const std::string text = serialise(run_probe(check, context));
        std::size_t written = 0;
        while (written < text.size()) {
            const ssize_t n = ::write(fds[1], text.data() + written, text.size() - written);
            if (n <= 0) {
                break;
            }
            written += static_cast<std::size_t>(n);
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    if (pid < 0) {
        ::close(fds[0]);
        result.message = _("cannot start the check's process");
        return result;
    }
    ::setpgid(pid, pid);
    const auto deadline = Clock::now() + context.timeout + k_grace;
    std::string output;
    bool timed_out = false;
    char buffer[4096];
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd waiting{fds[0], POLLIN, 0};
        if (left <= 0 || ::poll(&waiting, 1, static_cast<int>(left)) == 0) {
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
    if (timed_out) {
        ::kill(-pid, SIGKILL);
    }
    ::waitpid(pid, nullptr, 0);
    ::kill(-pid, SIGKILL);  // anything the check left running in its group
    if (timed_out) {
        result.status = CheckStatus::error;
        result.message = _f("the check did not finish within its timeout of {} and was stopped",
                            format_duration(context.timeout));
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

CheckResult run_check(const CheckSpec& check, const ProbeContext& context) {
    const auto start = Clock::now();
    CheckResult result;
    for (int attempt = 1; attempt <= check.retries + 1; ++attempt) {
        if (attempt > 1) {
            std::this_thread::sleep_for(
                check.retry_delay);  // the suite asked to wait between tries
        }
        result = attempt_isolated(check, context);
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
                results[i] = run_check(check, context);
            } else {
                results[i] = run_check(check, context);
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
