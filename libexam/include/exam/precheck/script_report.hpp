// What a check script says about itself: one JSON object on the last line of its standard
// output (docs/check-scripts.md).
#pragma once

#include <optional>
#include <string_view>

#include <exam/export.hpp>
#include <exam/precheck/result.hpp>

namespace exam {

// The result a script reported, or nothing when its last line is no report (it does not begin
// with "{"), so that the exit code decides. Spaces, tabs, CR LF and a UTF-8 byte order mark
// around the line are tolerated. A line that begins with "{" and is not one JSON object with a
// status a script may give (pass, warn, fail, error, skip) is an error result saying what the
// script wrote and what is allowed: never the exit code's verdict, and never "waived", which
// only a waivers file can give.
EXAM_EXPORT std::optional<CheckResult> read_script_report(std::string_view standard_output);

}  // namespace exam
