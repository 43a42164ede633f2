// Matching people's names as typed at an entrance against the staff list: Unicode NFC, case
// folding, "ё" read as "е", and runs of spaces collapsed, so "  ПЁТР   иванов" matches
// "Пётр Иванов". Document numbers are normalised to letters and digits in upper case.
#pragma once

#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

// The comparison key of a name. Throws InputError for text that is not valid UTF-8.
EXAM_EXPORT std::string name_key(std::string_view name);

// The name as it will be stored: NFC, trimmed, inner spaces collapsed; case kept.
EXAM_EXPORT std::string clean_name(std::string_view name);

// Letters and digits only, upper case: "45 06 123456" and "4506-123456" are one number.
EXAM_EXPORT std::string normalise_document_number(std::string_view number);

}  // namespace exam
