// Which of a suite's checks a run is asked for (`run --only ID`, `run --tag TAG`), checked
// before anything runs: a misspelt id or tag would otherwise run nothing, or the wrong checks.
#pragma once

#include <filesystem>
#include <span>
#include <string>

#include <exam/export.hpp>
#include <exam/precheck/suite.hpp>

namespace exam {

// Refuses (UsageError, 64) an --only that names no check and a --tag that no check has, with a
// did-you-mean. `checks` are the suite's checks as they run (expand_checks): --only names a
// check ("cameras") or one camera of a camera check ("cameras:0101-front").
EXAM_EXPORT void check_selection(std::span<const std::string> only,
                                 std::span<const std::string> tags, const Suite& suite,
                                 std::span<const CheckSpec> checks);

}  // namespace exam
