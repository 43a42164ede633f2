#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include <fmt/format.h>
#include <unicode/uchar.h>

#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

// Decodes one UTF-8 sequence at `pos`; nullopt (and one byte consumed) when invalid,
// overlong, a surrogate or beyond U+10FFFF.
std::optional<char32_t> decode_one(std::string_view text, std::size_t& pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t length = 0;
    char32_t code_point = 0;
    if (lead < 0x80) {
        ++pos;
        return lead;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2;
        code_point = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        code_point = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        code_point = lead & 0x07u;
    } else {
        ++pos;
        return std::nullopt;
    }
    if (pos + length > text.size()) {
        ++pos;
        return std::nullopt;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const auto continuation = static_cast<unsigned char>(text[pos + i]);
        if ((continuation & 0xC0) != 0x80) {
            ++pos;
            return std::nullopt;
        }
        code_point = (code_point << 6) | (continuation & 0x3Fu);
    }
    static constexpr char32_t k_smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < k_smallest[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
        ++pos;
        return std::nullopt;
    }
    pos += length;
    return code_point;
}

// The columns a terminal gives one code point, from ICU's Unicode data (the version ICU ships,
// so that new scripts and emoji are right without tables of our own): East Asian Wide and
// Fullwidth characters and emoji presented as pictures take two; combining and enclosing marks,
// format characters (zero-width space, joiners, bidirectional marks), Hangul's medial and final
// jamo and controls take none; everything else one, as wcwidth() counts them.
std::size_t code_point_width(char32_t code_point) {
    const auto c = static_cast<UChar32>(code_point);
    if (code_point < 0x20 || (code_point >= 0x7F && code_point < 0xA0)) {
        return 0;  // control characters draw nothing
    }
    const auto category = static_cast<UCharCategory>(u_charType(c));
    if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK ||
        category == U_FORMAT_CHAR || (code_point >= 0x1160 && code_point <= 0x11FF)) {
        return 0;
    }
    const auto east_asian =
        static_cast<UEastAsianWidth>(u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH));
    if (east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ||
        u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION)) {
        return 2;
    }
    return 1;
}

// Characters that change how a terminal draws what follows rather than drawing themselves:
// controls, and the bidirectional embeddings, overrides and isolates (Trojan Source).
bool is_unprintable(char32_t code_point) {
    return code_point < 0x20 || (code_point >= 0x7F && code_point < 0xA0) ||
           (code_point >= 0x202A && code_point <= 0x202E) ||
           (code_point >= 0x2066 && code_point <= 0x2069) || code_point == 0x200E ||
           code_point == 0x200F || code_point == 0x061C;
}

std::string visible_escape(char32_t code_point) {
    switch (code_point) {
        case 0x1B: return "\\e";
        case '\n': return "\\n";
        case '\r': return "\\r";
        default: break;
    }
    if (code_point < 0x100) {
        return fmt::format("\\x{:02x}", static_cast<unsigned>(code_point));
    }
    return fmt::format("\\u{:04x}", static_cast<unsigned>(code_point));
}

}  // namespace

std::string for_terminal(std::string_view text, bool keep_line_breaks) {
    std::string result;
    result.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t start = pos;
        const auto code_point = decode_one(text, pos);
        if (!code_point) {
            result += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[start]));
        } else if (*code_point == '\t' || (keep_line_breaks && *code_point == '\n') ||
                   !is_unprintable(*code_point)) {
            result.append(text.substr(start, pos - start));
        } else {
            result += visible_escape(*code_point);
        }
    }
    return result;
}

bool has_unprintable_characters(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto code_point = decode_one(text, pos);
        if (!code_point || (*code_point != '\t' && is_unprintable(*code_point))) {
            return true;
        }
    }
    return false;
}

bool is_valid_utf8(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (!decode_one(text, pos)) {
            return false;
        }
    }
    return true;
}

std::u32string utf8_code_points(std::string_view text) {
    std::u32string code_points;
    std::size_t pos = 0;
    while (pos < text.size()) {
        code_points.push_back(decode_one(text, pos).value_or(U'\uFFFD'));
    }
    return code_points;
}

std::size_t display_width(std::string_view utf8) {
    std::size_t width = 0;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const auto code_point = decode_one(utf8, pos);
        width += code_point ? code_point_width(*code_point) : 1;
    }
    return width;
}

std::string pad_right(std::string_view utf8, std::size_t width) {
    std::string text{utf8};
    const std::size_t used = display_width(utf8);
    if (used < width) {
        text.append(width - used, ' ');
    }
    return text;
}

std::string pad_left(std::string_view utf8, std::size_t width) {
    const std::size_t used = display_width(utf8);
    std::string text(used < width ? width - used : 0, ' ');
    text += utf8;
    return text;
}

std::string escape_markup(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                    out += c;
                }
        }
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t rows = a.size() + 1;
    const std::size_t columns = b.size() + 1;
    std::vector<std::size_t> d(rows * columns);
    auto at = [columns, &d](std::size_t i, std::size_t j) -> std::size_t& {
        return d[i * columns + j];
    };
    for (std::size_t i = 0; i < rows; ++i) {
        at(i, 0) = i;
    }
    for (std::size_t j = 0; j < columns; ++j) {
        at(0, j) = j;
    }
    for (std::size_t i = 1; i < rows; ++i) {
        for (std::size_t j = 1; j < columns; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
            }
        }
    }
    return at(rows - 1, columns - 1);
}

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates) {
    // A third of the word's length, at least one and at most three edits, reads as a typo;
    // beyond that a suggestion is more confusing than none.
    const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const std::string_view candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = std::string{candidate};
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates,
                         std::string_view choices_label) {
    if (const auto suggestion = closest_match(word, candidates)) {
        return _f("; did you mean \"{}\"?", *suggestion);
    }
    if (choices_label.empty() || candidates.empty()) {
        return {};
    }
    std::string list;
    for (const std::string_view candidate : candidates) {
        list += list.empty() ? "" : ", ";
        list += candidate;
    }
    return _f("; {}: {}", choices_label, list);
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates,
                         std::string_view choices_label) {
    const std::vector<std::string_view> views(candidates.begin(), candidates.end());
    return did_you_mean(word, views, choices_label);
}

std::string ascii_lower(std::string_view text) {
    std::string result{text};
    for (char& c : result) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return result;
}

std::string ascii_upper(std::string_view text) {
    std::string result{text};
    for (char& c : result) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return result;
}

std::string_view trim_spaces(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::string without_password(std::string_view address) {
    const std::size_t scheme = address.find("://");
    if (scheme == std::string_view::npos) {
        return std::string{address};
    }
    const std::size_t authority = scheme + 3;
    const std::size_t path = std::min(address.find('/', authority), address.size());
    const std::size_t at = address.substr(0, path).rfind('@');
    if (at == std::string_view::npos || at < authority) {
        return std::string{address};
    }
    const std::size_t colon = address.substr(0, at).find(':', authority);
    if (colon == std::string_view::npos) {
        return std::string{address};
    }
    return std::string{address.substr(0, colon + 1)} + "***" + std::string{address.substr(at)};
}

}  // namespace exam
