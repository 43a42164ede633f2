// What `exam-camera purge` deletes (or would, with --dry-run) and `exam-camera holds` lists,
// for people: tables with times in the site's zone.
#pragma once

#include <ostream>
#include <span>

#include <exam/archive/retention.hpp>
#include <exam/export.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/terminal.hpp>
#include <exam/util/time.hpp>

namespace exam {

enum class PurgeMode { dry_run, delete_files };

// The files past retention — those to delete and those a hold keeps — and the totals.
EXAM_EXPORT void write_purge_plan(std::ostream& out, const PurgePlan& plan, PurgeMode mode,
                                  const TimeZone& zone, const Palette& palette);

EXAM_EXPORT void write_holds(std::ostream& out, std::span<const HoldRecord> holds,
                             const TimeZone& zone, const Palette& palette);

}  // namespace exam
