// Waivers: an approved, time-limited exception for a known failure. A waived failure is
// reported as waived, never as a pass; an expired waiver no longer applies and says so.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <exam/export.hpp>
#include <exam/precheck/result.hpp>
#include <exam/precheck/suite.hpp>
#include <exam/util/time.hpp>

namespace exam {

struct Waiver {
    std::string check_id;
    std::string justification;
    std::string approved_by;
    TimePoint expires;  // the end of the expiry day when only a date was written
};

// A TOML file of [[waiver]] tables: id, justification, approved_by, expires ("2026-06-02" or
// an RFC 3339 time). Dates are days in `zone`. Strict: errors at FILE:LINE:COL, and a waiver
// whose id is none of `checks` (the suite's checks as they run, expand_checks) is refused
// with a did-you-mean, because it would silently waive nothing.
EXAM_EXPORT std::vector<Waiver> load_waivers(const std::filesystem::path& file,
                                             const TimeZone& zone,
                                             std::span<const CheckSpec> checks);
EXAM_EXPORT std::vector<Waiver> parse_waivers(std::string_view text,
                                              const std::filesystem::path& file,
                                              const TimeZone& zone,
                                              std::span<const CheckSpec> checks);

// Fail and warn become waived under a valid waiver for their check; "could not check" is
// never waived, because nobody knows what it would have found.
EXAM_EXPORT void apply_waivers(std::span<CheckResult> results, std::span<const Waiver> waivers,
                               TimePoint now, const TimeZone& zone);

}  // namespace exam
