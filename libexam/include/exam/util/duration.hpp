// Durations as people write them in the site file, suites and flags: "500ms", "90s", "30m",
// "2h", "1d", and sums of them such as "1h30m" or "3h55m".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

using Milliseconds = std::chrono::milliseconds;

// nullopt when the text is not a duration; see duration_syntax() for what to tell the user.
EXAM_EXPORT std::optional<Milliseconds> parse_duration(std::string_view text);

// The shortest exact spelling that parse_duration reads back: 5400000ms -> "1h30m".
EXAM_EXPORT std::string format_duration(Milliseconds duration);

// The same span for people, in the units of their language: "1h30m" in English, "1 ч 30 мин" in
// Russian. Never for a file, a record or JSON: use format_duration.
EXAM_EXPORT std::string format_span(Milliseconds duration);

// A time something took or waited, for people, to a sensible precision: "0ms", "340ms", "1.5s",
// "12s", "1m5s" (whole seconds from a minute on). Not for reading back: use format_duration.
EXAM_EXPORT std::string format_elapsed(Milliseconds duration);

// What a duration looks like, for error messages.
// What a value must look like, for an error message, in the user's language.
EXAM_EXPORT std::string duration_syntax();

}  // namespace exam
