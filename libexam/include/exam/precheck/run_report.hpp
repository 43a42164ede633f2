// Reports of a pre-check run: text for the person at the terminal, JSON for programs
// (docs/check-report.md documents its shape).
#pragma once

#include <optional>
#include <ostream>
#include <span>
#include <string>

#include <exam/export.hpp>
#include <exam/precheck/result.hpp>
#include <exam/util/terminal.hpp>
#include <exam/util/time.hpp>

namespace exam {

struct RunInfo {
    TimePoint time;
    std::string station;
    std::optional<std::string> exam;
    std::optional<TimePoint> exam_start;
    std::optional<TimeZone> zone;
};

EXAM_EXPORT void write_run_text(std::ostream& out, const RunInfo& info,
                                std::span<const CheckResult> results, const Palette& palette);
EXAM_EXPORT void write_run_json(std::ostream& out, const RunInfo& info,
                                std::span<const CheckResult> results);

}  // namespace exam
