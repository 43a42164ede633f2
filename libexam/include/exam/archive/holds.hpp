// Holds: recordings kept past retention for an appeal or an inspection (`exam-camera hold`,
// `release`, `holds`). A hold is rows of the index (docs/recording-format.md) and a `hold`
// journal entry; its release is a row and a `release` entry. Nothing is ever rewritten.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/time.hpp>

namespace exam {

struct HoldRequest {
    std::optional<std::string> exam;   // each room's recording window of this exam
    std::vector<std::string> rooms;    // with an exam: only these rooms' windows
    std::vector<std::string> cameras;  // without an exam: all of these cameras' recordings
    std::string reason;
    std::string actor;
};

// The hold the request names, checked against the site: UsageError for an exam, room or camera
// it does not have (with a did-you-mean), for no exam, room or camera at all, or for an empty
// reason.
EXAM_EXPORT HoldRecord hold_from_request(const Site& site, const HoldRequest& request,
                                         TimePoint now);

// "exam math, room 0101 (2026-06-01 09:00 to 14:25)" and the like, for people.
EXAM_EXPORT std::string describe_scope(const HoldScope& scope, const TimeZone& zone);

// Writes the hold into the site's index (protecting at once), then its `hold` journal entry.
// Returns the hold's number. StorageError (74) when the entry cannot be written; the hold
// stays in force then (keeping too much is the safe side).
EXAM_EXPORT std::int64_t place_hold(const Site& site, const HoldRecord& hold);

// Writes the `release` journal entry first (the journal never misses a release), then the
// release into the index. UsageError when no active hold has that number.
EXAM_EXPORT void release_hold(const Site& site, std::int64_t number, const std::string& reason,
                              const std::string& actor, TimePoint now);

}  // namespace exam
