#include <algorithm>
#include <array>

#include <exam/precheck/result.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

constexpr std::array<std::pair<CheckStatus, std::string_view>, 6> k_names{{
    {CheckStatus::pass, "pass"},
    {CheckStatus::warn, "warn"},
    {CheckStatus::fail, "fail"},
    {CheckStatus::error, "error"},
    {CheckStatus::skip, "skip"},
    {CheckStatus::waived, "waived"},
}};

}  // namespace

std::string_view to_string(CheckStatus status) {
    for (const auto& [value, name] : k_names) {
        if (value == status) {
            return name;
        }
    }
    return "error";
}

std::string status_for_people(CheckStatus status) {
    switch (status) {
        case CheckStatus::pass: return _("pass");
        // TRANSLATORS: a check's status in the terminal's table: passed with a warning.
        case CheckStatus::warn: return _("warn");
        // TRANSLATORS: a check's status in the terminal's table: failed.
        case CheckStatus::fail: return _("fail");
        // TRANSLATORS: a check's status in the terminal's table: it could not be checked.
        case CheckStatus::error: return _("error");
        // TRANSLATORS: a check's status in the terminal's table: not run (another failed).
        case CheckStatus::skip: return _("skip");
        case CheckStatus::waived: return _("waived");
    }
    return _("error");
}

std::optional<CheckStatus> check_status_from_string(std::string_view text) {
    for (const auto& [value, name] : k_names) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

ExitCode run_exit_code(std::span<const CheckResult> results) {
    const auto any = [&](CheckStatus status) {
        return std::any_of(results.begin(), results.end(),
                           [status](const CheckResult& r) { return r.status == status; });
    };
    if (any(CheckStatus::fail)) {
        return ExitCode::negative;
    }
    if (any(CheckStatus::error)) {
        return ExitCode::could_not_check;
    }
    if (any(CheckStatus::warn)) {
        return ExitCode::warnings;
    }
    return ExitCode::ok;
}

}  // namespace exam
