// What a check found. Outcomes are never collapsed into one another: a check that could not
// run is an error, not a pass or a fail.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include <exam/export.hpp>
#include <exam/precheck/suite.hpp>
#include <exam/util/error.hpp>

namespace exam {

enum class CheckStatus { pass, warn, fail, error, skip, waived };

EXAM_EXPORT std::string_view to_string(CheckStatus status);
// The status as a person reads it in a terminal's table, in the user's language (English:
// the same words as to_string, which files and reports keep whatever the language).
EXAM_EXPORT std::string status_for_people(CheckStatus status);
EXAM_EXPORT std::optional<CheckStatus> check_status_from_string(std::string_view text);

// The observed value, recorded even when the check passes: {"value": ..., "unit": "..."}.
struct Observed {
    std::variant<std::monostate, double, std::string, bool> value;
    std::string unit;
    [[nodiscard]] bool empty() const { return std::holds_alternative<std::monostate>(value); }
};

struct CheckResult {
    std::string id;
    std::string title;
    CheckStatus status = CheckStatus::error;
    Severity severity = Severity::critical;
    Observed observed;
    std::string expected;
    std::string message;  // what was checked and found, in words
    std::string hint;
    std::chrono::milliseconds duration{0};
    int attempts = 1;
};

// 0 all pass; 1 warnings only; 2 any critical failure; 3 something could not be checked and
// nothing failed.
EXAM_EXPORT ExitCode run_exit_code(std::span<const CheckResult> results);

}  // namespace exam
