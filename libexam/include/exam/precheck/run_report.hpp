// Reports of a pre-check run: text for the person at the terminal, JSON for programs
// (docs/check-report.md documents its shape).
#pragma once

#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include <exam/export.hpp>
#include <exam/precheck/result.hpp>
#include <exam/precheck/suite.hpp>
#include <exam/util/terminal.hpp>
#include <exam/util/time.hpp>

namespace exam {

// Whether the run is in the site's access journal, as an operability check.
enum class RunJournalled {
    yes,
    not_kept,  // no site file, or a station that keeps no journal ([journal] keep = false)
    no,        // it should be and is not: RunInfo::journal_problem says why
};

struct RunInfo {
    TimePoint time;
    std::string station;
    std::optional<std::string> exam;
    std::optional<TimePoint> exam_start;
    std::optional<TimeZone> zone;
    RunJournalled journalled = RunJournalled::not_kept;
    std::string journal_problem;
};

EXAM_EXPORT void write_run_text(std::ostream& out, const RunInfo& info,
                                std::span<const CheckResult> results, const Palette& palette);
EXAM_EXPORT void write_run_json(std::ostream& out, const RunInfo& info,
                                std::span<const CheckResult> results);
// JUnit XML: one testcase per check; fail is a failure, error an error, skip and waived skipped.
EXAM_EXPORT void write_run_junit(std::ostream& out, const RunInfo& info,
                                 std::span<const CheckResult> results);
// TAP version 13: "ok" for pass, warn (with a TODO note) and skip/waived (SKIP); "not ok" else.
EXAM_EXPORT void write_run_tap(std::ostream& out, const RunInfo& info,
                               std::span<const CheckResult> results);
// node_exporter's textfile format, for a regional centre's monitoring to scrape every station.
EXAM_EXPORT void write_run_prometheus(std::ostream& out, const RunInfo& info,
                                      std::span<const CheckResult> results);

// An observed value for people: "1.5 GB", "90 minutes before the start", "idle".
EXAM_EXPORT std::string format_observed(const Observed& observed);
// "1h30m before the start" / "10m after the start"; empty without an exam.
EXAM_EXPORT std::string time_before_start(const RunInfo& info);

// "12 checks: 10 pass, 1 warn, 1 fail, 0 could not be checked, 0 skipped, 0 waived".
EXAM_EXPORT std::string run_summary(std::span<const CheckResult> results);

// The note of the run's journal entry: "pre-check of STATION: 12 checks: 10 pass, 1 warn, 1 fail,
// 0 could not be checked, 0 skipped, 0 waived; exit code 2". English in every language (the entry
// is signed and must not depend on the locale), unlike run_summary, which is for people.
EXAM_EXPORT std::string run_journal_note(const RunInfo& info, std::span<const CheckResult> results);

// The suite without running it: `exam-precheck list`.
EXAM_EXPORT void write_suite_text(std::ostream& out, const Suite& suite, const Palette& palette);

// The report formats `--report` accepts.
inline constexpr std::string_view k_report_formats = "text, json, junit, tap, prometheus, html";

}  // namespace exam
