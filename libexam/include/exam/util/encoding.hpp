// Text files as office software saves them: UTF-8 with or without a byte order mark, UTF-16
// with one (Excel's "Unicode text"), or Windows-1251 (what a Russian Excel writes as "CSV"),
// all turned into UTF-8 through the C library's iconv.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

enum class TextEncoding { utf8, utf16, windows_1251 };

struct DecodedText {
    std::string utf8;  // without any byte order mark
    TextEncoding encoding = TextEncoding::utf8;
};

// UTF-8 when the bytes are valid UTF-8 (a BOM dropped); UTF-16 when they start with its BOM;
// else Windows-1251 when every byte is a character there and no byte is a control character
// but tab and line breaks (so binary files and UTF-16 without a BOM are not taken for it).
// nullopt when the text is none of these, or holds a NUL byte (UTF-16 without its mark).
EXAM_EXPORT std::optional<DecodedText> decode_office_text(std::string_view bytes);

// The bytes converted from `encoding` (an iconv name such as "CP1251") to UTF-8; nullopt when
// a byte sequence has no meaning in that encoding or the C library does not know it.
EXAM_EXPORT std::optional<std::string> convert_to_utf8(std::string_view bytes,
                                                       const char* encoding);

}  // namespace exam
