// Every pre-check run kept in a SQLite history, so that the technician sees how a station's
// observed values (free disk, load) moved between the day-before check and the exam morning.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <exam/export.hpp>
#include <exam/precheck/result.hpp>
#include <exam/precheck/run_report.hpp>
#include <exam/util/terminal.hpp>

namespace exam {

// The history's usual place: precheck-history.sqlite in the site's data folder.
EXAM_EXPORT std::filesystem::path default_history_file(const std::filesystem::path& data_folder);

EXAM_EXPORT void record_run(const std::filesystem::path& history, const RunInfo& info,
                            const std::filesystem::path& suite,
                            std::span<const CheckResult> results);

// Past runs, newest first; with `check_id`, that check's results in them.
EXAM_EXPORT void write_history_text(std::ostream& out, const std::filesystem::path& history,
                                    const std::optional<std::string>& check_id, std::size_t limit,
                                    const std::optional<TimeZone>& zone, const Palette& palette);

}  // namespace exam
