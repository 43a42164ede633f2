// Matching people's names as typed at an entrance against the staff list: Unicode NFC, case
// folding, "ё" read as "е", and runs of spaces collapsed, so "  ПЁТР   иванов" matches
// "Пётр Иванов". Document numbers are normalised to letters and digits in upper case.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

// The comparison key of a name. Throws InputError for text that is not valid UTF-8.
EXAM_EXPORT std::string name_key(std::string_view name);

// The name as it will be stored: NFC, trimmed, inner spaces collapsed; case kept.
EXAM_EXPORT std::string clean_name(std::string_view name);

// The role id meant by what a person typed or a staff list holds: an id ("commission") or a
// Russian title from form PPE-07 ("Член ГЭК"), whatever the case, ё/е, hyphens, commas and
// extra spaces. nullopt when it names no role. Throws InputError for text that is not UTF-8.
EXAM_EXPORT std::optional<std::string> role_from_text(std::string_view text);

// Letters and digits only, upper case: "45 06 123456" and "4506-123456" are one number.
EXAM_EXPORT std::string normalise_document_number(std::string_view number);

}  // namespace exam
