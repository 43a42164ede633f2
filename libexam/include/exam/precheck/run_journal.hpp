// A pre-check run as an operability check of the equipment, in the site's access journal. A
// journal that cannot take it does not change the station's readiness (the 0-3 verdict): it
// is said on the terminal and in the reports (RunInfo::journalled).
#pragma once

#include <optional>
#include <span>
#include <string>

#include <exam/export.hpp>
#include <exam/journal/site_journal.hpp>
#include <exam/precheck/result.hpp>
#include <exam/precheck/run_report.hpp>

namespace exam {

// Appends the run's entry through `journal` (opened at the run's start), and sets
// `info.journalled` and `info.journal_problem` to what happened.
EXAM_EXPORT void record_run_in_journal(SiteJournal& journal, RunInfo& info,
                                       std::span<const CheckResult> results,
                                       const std::optional<std::string>& actor);

}  // namespace exam
