// How long recordings are kept, and their deletion: a segment is kept until the site's
// `[recording] keep_until` day (1 March by default) of the year after it was recorded, never
// deleted earlier and never while a hold protects it. The index stays append-only: a deletion
// is a row of its own (docs/recording-format.md), and each purge is one `purge` journal entry.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/time.hpp>

namespace exam {

// The first instant the segment may be deleted: 00:00 in `zone` of the `keep_until` day of
// the year after its start's local date.
EXAM_EXPORT TimePoint kept_until(const SegmentRecord& segment, const TimeZone& zone,
                                 std::chrono::month_day keep_until);

// Whether the scope covers the segment (docs/recording-format.md, table `holds`).
EXAM_EXPORT bool scope_covers(const HoldScope& scope, const SegmentRecord& segment);

struct PurgeCandidate {
    SegmentRecord segment;
    TimePoint kept_until;
    std::optional<std::int64_t> held_by;  // the number of an active hold that protects it
};

struct EXAM_EXPORT PurgePlan {
    std::vector<PurgeCandidate> due;   // past retention and not held: to delete
    std::vector<PurgeCandidate> held;  // past retention but held
    std::size_t kept = 0;              // within retention
    TimePoint decided_at;              // the `now` retention was judged at
    [[nodiscard]] std::uint64_t due_bytes() const {
        std::uint64_t bytes = 0;
        for (const auto& candidate : due) {
            bytes += candidate.segment.bytes;
        }
        return bytes;
    }
};

// What a purge at `now` would delete. Segments whose file was deleted already are left out.
EXAM_EXPORT PurgePlan plan_purge(std::span<const SegmentRecord> segments,
                                 std::span<const DeletionRecord> deletions,
                                 std::span<const HoldRecord> holds, const TimeZone& zone,
                                 std::chrono::month_day keep_until, TimePoint now);

// The `purge` entry's note: "files N bytes B from START to END" (UTC), fixed English words as
// every program-read note of the journal; with "; retention judged at T (shifted clock)" when
// the plan was judged at another time than `now` (`purge --at`, rehearsals and tests), so that
// the journal shows a deletion made early on purpose.
EXAM_EXPORT std::string purge_note(const PurgePlan& plan, TimePoint now);

struct PurgeOutcome {
    std::size_t deleted = 0;
    std::uint64_t bytes = 0;
    std::vector<std::string> problems;  // files that could not be deleted, in words
};

// Deletes the plan's due files under the site's recordings folder. The `purge` journal entry
// is written first, so that the journal never misses a deletion: when it cannot be written (a
// journal this station keeps is missing, or the append fails) a StorageError says so and
// nothing is deleted. Then each file is removed and its deletion added to `index`.
EXAM_EXPORT PurgeOutcome carry_out_purge(const Site& site, SegmentIndex& index,
                                         const PurgePlan& plan, const std::string& actor,
                                         TimePoint now);

}  // namespace exam
