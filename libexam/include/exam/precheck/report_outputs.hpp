// Where a run's or a summary's reports go (`--report FORMAT[:PATH]`, repeatable): standard
// output or files that appear whole or not at all, in the formats each command knows. The
// person at the terminal always gets the text report unless told to be quiet.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/precheck/protocol.hpp>
#include <exam/util/terminal.hpp>

namespace exam {

struct ReportSpec {
    std::string format;
    std::string path;  // empty: standard output
};

enum class ReportKind { run, summary };
enum class TerminalReport { text, quiet };

// Reads every --report before anything runs, so that a typo does not cost a run (UsageError
// naming the formats). With TerminalReport::text and no report for standard output, the text
// report is added for it: reports written to files alone once left the screen empty.
EXAM_EXPORT std::vector<ReportSpec> parse_report_specs(const std::vector<std::string>& specs,
                                                       ReportKind kind, TerminalReport terminal);

// What the printable protocol shows beyond the checks: the exam point and its journal.
EXAM_EXPORT ProtocolContext protocol_context(const std::optional<Site>& site);

// Writes each report: to `out` (with `palette`) when it has no path, else to its file, whole or
// not at all (a monitoring agent may read a .prom file at any moment). `notes` gets where the
// printable protocol went.
EXAM_EXPORT void write_reports(const std::vector<ReportSpec>& reports, ReportKind kind,
                               const ProtocolContext& protocol,
                               const std::vector<StationRun>& stations, std::ostream& out,
                               const Palette& palette, std::ostream& notes);

// A summary that the commission signs must not count a station twice or mix exams without
// saying so (both are easy with a shell glob over last week's reports): the warnings, in words.
EXAM_EXPORT std::vector<std::string> mixed_report_warnings(const std::vector<std::string>& files,
                                                           const std::vector<StationRun>& stations);

}  // namespace exam
