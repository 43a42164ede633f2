// Standard base64 (RFC 4648, with padding), as signed notes and verifier keys use it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <exam/export.hpp>

namespace exam {

EXAM_EXPORT std::string base64_encode(std::span<const std::uint8_t> bytes);
// nullopt for anything that is not canonical padded base64.
EXAM_EXPORT std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);
EXAM_EXPORT std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view text);

}  // namespace exam
