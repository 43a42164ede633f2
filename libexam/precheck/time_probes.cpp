// The checks of time: whether the run is inside the exam's check window, and the clock (its
// offset from the exam point's NTP server, and the system's timezone).
#include "precheck/time_probes.hpp"

#include <nlohmann/json.hpp>

#include <exam/precheck/sntp.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

using nlohmann::json;

CheckResult skipped(std::string message) {
    CheckResult result;
    result.status = CheckStatus::skip;
    result.message = std::move(message);
    return result;
}

}  // namespace

CheckResult probe_window(const ProbeContext& context) {
    if (!context.exam) {
        return skipped(_("no exam today and none given with --exam"));
    }
    const ExamTimes& times = *context.exam;
    CheckResult result;
    const auto minutes =
        std::chrono::duration_cast<std::chrono::minutes>(times.start - context.now);
    result.observed = Observed{static_cast<double>(minutes.count()), "minutes before the start"};
    result.expected = _f("between {} and the start", format_utc(times.checks_due));
    const bool inside = context.now >= times.checks_due && context.now <= times.start;
    // Outside the window is a warning, whatever the check's severity: checks out of time still
    // count.
    result.status = inside ? CheckStatus::pass : CheckStatus::warn;
    result.message = inside ? _("the run is inside the exam's check window")
                            : _("the run is outside the exam's check window");
    return result;
}

// A wrong timezone and a clock that is off (or cannot be measured) are separate findings with
// separate remedies: both are looked for, and both are shown.
CheckResult probe_clock(const json& parameters, const ProbeContext& context) {
    const std::string server =
        parameters.contains("server")
            ? parameters["server"].get<std::string>()
            : (context.site != nullptr ? context.site->time.ntp_server : std::string{});
    const auto warn_at =
        std::chrono::milliseconds{parameters.value("warn_offset", std::int64_t{500})};
    const auto fail_at =
        std::chrono::milliseconds{parameters.value("fail_offset", std::int64_t{2000})};
    CheckResult result;
    result.expected = _f("the clock within {} of {}", format_duration(warn_at), server);

    // The timezone needs no network, and a wrong one is wrong whatever NTP says.
    std::optional<std::string> wrong_zone;
    if (parameters.value("check_timezone", true) && context.site_timezone) {
        const auto system_zone = system_timezone_name();
        if (system_zone && *system_zone != *context.site_timezone) {
            wrong_zone = *system_zone;
            result.expected =
                _f("the system timezone {} and {}", *context.site_timezone, result.expected);
        }
    }
    const std::string zone_finding = wrong_zone ? _f("the system timezone is {}, the site's is {}",
                                                     *wrong_zone, *context.site_timezone)
                                                : std::string{};
    const std::string zone_remedy =
        wrong_zone
            ? _f("set the timezone: sudo timedatectl set-timezone {}", *context.site_timezone)
            : std::string{};

    if (server.empty()) {
        CheckResult no_server;
        no_server.status = wrong_zone ? CheckStatus::fail : CheckStatus::error;
        no_server.message =
            _("no NTP server to ask: give the check a \"server\", or the site file [time] "
              "ntp_server");
        if (wrong_zone) {
            no_server.message = zone_finding + "; " + no_server.message;
            no_server.observed = Observed{*wrong_zone, ""};
            no_server.hint =
                context.suite_hint.empty() ? zone_remedy : zone_remedy + "; " + context.suite_hint;
        }
        return no_server;
    }

    const SntpOutcome answer = query_sntp(server, context.budget());
    std::string clock_finding;
    CheckStatus clock_status = CheckStatus::error;
    if (answer.measurement) {
        const double offset_ms = static_cast<double>(answer.measurement->offset.count()) / 1000.0;
        result.observed = Observed{offset_ms, "ms"};
        const auto magnitude = std::chrono::abs(answer.measurement->offset);
        clock_status = magnitude >= fail_at   ? CheckStatus::fail
                       : magnitude >= warn_at ? CheckStatus::warn
                                              : CheckStatus::pass;
        clock_finding = _f("the clock is {:+.0f} ms off {} (stratum {}, round trip {:.0f} ms)",
                           -offset_ms, server, answer.measurement->stratum,
                           static_cast<double>(answer.measurement->delay.count()) / 1000.0);
    } else {
        clock_finding = _f("cannot measure the clock against {}: {}", server, answer.problem);
    }
    if (!wrong_zone) {
        result.status = clock_status;
        result.message = clock_finding;
        return result;
    }
    // A wrong zone fails the check whatever the clock does; the clock's finding is still told,
    // and the suite's advice (about NTP) added when the clock needs it too.
    result.status = CheckStatus::fail;
    result.observed = Observed{*wrong_zone, ""};
    result.message = zone_finding + "; " + clock_finding;
    result.hint = zone_remedy;
    if (clock_status != CheckStatus::pass && !context.suite_hint.empty()) {
        result.hint += "; " + context.suite_hint;
    }
    return result;
}

}  // namespace exam
