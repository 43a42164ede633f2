// `exam-camera coverage` as people and programs read it: per camera a table of its window's
// stretches (times in the site's zone), or JSON (UTC); and the verdict — any time missing with
// no explanation is what a commission must never see (exit 2, docs/exit-codes.md).
#pragma once

#include <ostream>
#include <span>

#include <exam/archive/coverage.hpp>
#include <exam/export.hpp>
#include <exam/util/terminal.hpp>
#include <exam/util/time.hpp>

namespace exam {

// The tables, then one line per camera with unexplained time: which, how long, when, and what
// to do.
EXAM_EXPORT void write_coverage_text(std::ostream& out, std::span<const CameraCoverage> coverages,
                                     const TimeZone& zone, const Palette& palette);

// {"version": 1, "complete": ..., "cameras": [...]} with UTC times and milliseconds.
EXAM_EXPORT void write_coverage_json(std::ostream& out, std::span<const CameraCoverage> coverages);

// True when no camera has time missing with no explanation.
EXAM_EXPORT bool all_explained(std::span<const CameraCoverage> coverages);

}  // namespace exam
