// Sizes as people write them: "512", "10KB", "5MB", "2GB", "1TB" (powers of 1000) or "4KiB",
// "5MiB", "2GiB", "1TiB" (powers of 1024).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

EXAM_EXPORT std::optional<std::uint64_t> parse_byte_size(std::string_view text);
// "1.5 GB"-style, for people.
EXAM_EXPORT std::string format_byte_size(std::uint64_t bytes);

// The exact spelling a site file takes, for telling what to write there: 5000000000 -> "5GB",
// 1500000 -> "1500KB", 999 -> "999" (parse_byte_size reads it back; format_byte_size is for
// reading, rounded and in the user's language).
EXAM_EXPORT std::string byte_size_as_written(std::uint64_t bytes);

// Data rates as camera menus write them: "512kbit/s", "4Mbit/s", "4 Mbps" (powers of 1000,
// bits per second).
EXAM_EXPORT std::optional<std::uint64_t> parse_bitrate(std::string_view text);
// "4.0 Mbit/s".
EXAM_EXPORT std::string format_bitrate(std::uint64_t bits_per_second);

// What a value must look like, for an error message, in the user's language.
EXAM_EXPORT std::string bitrate_syntax();

// What a value must look like, for an error message, in the user's language.
EXAM_EXPORT std::string byte_size_syntax();

}  // namespace exam
