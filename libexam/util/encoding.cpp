#include <algorithm>
#include <cerrno>
#include <memory>

#include <iconv.h>

#include <exam/util/encoding.hpp>
#include <exam/util/text.hpp>

namespace exam {
namespace {

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";
constexpr std::string_view k_utf16_le_bom = "\xFF\xFE";
constexpr std::string_view k_utf16_be_bom = "\xFE\xFF";

// Control bytes do not occur in a spreadsheet's text; finding one means the file is binary,
// or UTF-16 without its mark, and not Windows-1251 at all.
bool has_control_bytes(std::string_view bytes) {
    return std::any_of(bytes.begin(), bytes.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F;
    });
}

}  // namespace

std::optional<std::string> convert_to_utf8(std::string_view bytes, const char* encoding) {
    const iconv_t descriptor = ::iconv_open("UTF-8", encoding);
    if (descriptor == reinterpret_cast<iconv_t>(-1)) {
        return std::nullopt;
    }
    const std::unique_ptr<void, int (*)(iconv_t)> closer{descriptor, ::iconv_close};
    // Each byte of a one-byte encoding, and each pair of UTF-16, is at most three bytes of
    // UTF-8 (a surrogate pair's four bytes become four): three times the input always fits.
    std::string out(bytes.size() * 3, '\0');
    char* input = const_cast<char*>(bytes.data());  // iconv's signature; it does not write
    std::size_t input_left = bytes.size();
    char* output = out.data();
    std::size_t output_left = out.size();
    if (::iconv(descriptor, &input, &input_left, &output, &output_left) ==
            static_cast<std::size_t>(-1) ||
        ::iconv(descriptor, nullptr, nullptr, &output, &output_left) ==
            static_cast<std::size_t>(-1)) {
        return std::nullopt;
    }
    out.resize(out.size() - output_left);
    return out;
}

std::optional<DecodedText> decode_office_text(std::string_view bytes) {
    if (bytes.starts_with(k_utf16_le_bom) || bytes.starts_with(k_utf16_be_bom)) {
        const bool little_endian = bytes.starts_with(k_utf16_le_bom);
        bytes.remove_prefix(2);
        auto text = convert_to_utf8(bytes, little_endian ? "UTF-16LE" : "UTF-16BE");
        if (!text) {
            return std::nullopt;
        }
        return DecodedText{std::move(*text), TextEncoding::utf16};
    }
    if (bytes.find('\0') != std::string_view::npos) {
        return std::nullopt;  // UTF-16 without its mark, or not text at all
    }
    if (bytes.starts_with(k_utf8_bom)) {
        bytes.remove_prefix(k_utf8_bom.size());
        // A file that says it is UTF-8 and is not is damaged, not in another encoding.
        return is_valid_utf8(bytes)
                   ? std::optional{DecodedText{std::string{bytes}, TextEncoding::utf8}}
                   : std::nullopt;
    }
    if (is_valid_utf8(bytes)) {
        return DecodedText{std::string{bytes}, TextEncoding::utf8};
    }
    if (has_control_bytes(bytes)) {
        return std::nullopt;
    }
    auto text = convert_to_utf8(bytes, "CP1251");
    if (!text) {
        return std::nullopt;  // 0x98, the one byte Windows-1251 leaves undefined
    }
    return DecodedText{std::move(*text), TextEncoding::windows_1251};
}

}  // namespace exam
