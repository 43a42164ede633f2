#include <exam/journal/entry.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include <array>
#include <map>
#include <variant>

namespace exam {
namespace {

constexpr std::array<std::pair<EntryKind, std::string_view>, 13> k_kind_names{{
    {EntryKind::enter, "enter"},
    {EntryKind::exit, "exit"},
    {EntryKind::denied, "denied"},
    {EntryKind::roster_import, "roster-import"},
    {EntryKind::operability_check, "operability-check"},
    {EntryKind::recording_start, "recording-start"},
    {EntryKind::recording_stop, "recording-stop"},
    {EntryKind::angle_correction, "angle-correction"},
    {EntryKind::card_out, "card-out"},
    {EntryKind::card_in, "card-in"},
    {EntryKind::export_video, "export"},
    {EntryKind::segment, "segment"},
    {EntryKind::other_event, "other"},
}};

// RFC 8785 string serialisation: escape '"', '\\' and control characters; everything else,
// non-ASCII included, stays literal UTF-8.
void append_string(std::string& out, std::string_view text) {
    out += '"';
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (byte < 0x20) {
                    static constexpr char k_hex[] = "0123456789abcdef";
                    out += "\\u00";
                    out += k_hex[byte >> 4];
                    out += k_hex[byte & 0x0f];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

bool valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        char32_t code_point = 0;
        if (lead < 0x80) {
            ++i;
            continue;
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
            return false;
        }
        if (i + length > text.size()) {
            return false;
        }
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) {
                return false;
            }
            code_point = (code_point << 6) | (next & 0x3Fu);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not Unicode scalar values.
        static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code_point < k_min[length] || code_point > 0x10FFFF ||
            (code_point >= 0xD800 && code_point <= 0xDFFF)) {
            return false;
        }
        i += length;
    }
    return true;
}

}  // namespace

std::string_view to_string(EntryKind kind) {
    for (const auto& [value, name] : k_kind_names) {
        if (value == kind) {
            return name;
        }
    }
    return "other";
}

std::optional<EntryKind> entry_kind_from_string(std::string_view text) {
    for (const auto& [value, name] : k_kind_names) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

bool is_equipment_event(EntryKind kind) {
    switch (kind) {
        case EntryKind::operability_check:
        case EntryKind::recording_start:
        case EntryKind::recording_stop:
        case EntryKind::angle_correction:
        case EntryKind::card_out:
        case EntryKind::card_in:
        case EntryKind::export_video:
        case EntryKind::other_event: return true;
        default: return false;
    }
}

void require_utf8(std::string_view text, std::string_view field) {
    if (!valid_utf8(text)) {
        throw InputError(_f("the {} is not valid UTF-8 text; re-enter it or convert the file "
                            "to UTF-8",
                            field));
    }
}

std::string leaf_bytes(const JournalEntry& entry) {
    // std::map orders keys by bytes, which for these ASCII keys is RFC 8785's UTF-16 order.
    std::map<std::string_view, std::variant<std::string_view, std::uint64_t>> fields;
    fields.emplace("v", static_cast<std::uint64_t>(k_leaf_format_version));
    fields.emplace("seq", entry.seq);
    const std::string time = format_utc(entry.time);
    fields.emplace("time", time);
    fields.emplace("kind", to_string(entry.kind));
    fields.emplace("region", entry.region);
    fields.emplace("ppe", entry.ppe);
    const std::pair<std::string_view, const std::optional<std::string>*> optional_fields[] = {
        {"exam", &entry.exam},         {"name", &entry.name},     {"role", &entry.role},
        {"doc_hmac", &entry.doc_hmac}, {"doc_tail", &entry.doc_tail}, {"room", &entry.room},
        {"camera", &entry.camera},     {"note", &entry.note},     {"reason", &entry.reason},
        {"actor", &entry.actor},
    };
    for (const auto& [key, value] : optional_fields) {
        if (value->has_value()) {
            fields.emplace(key, **value);
        }
    }
    std::string out = "{";
    for (const auto& [key, value] : fields) {
        if (out.size() > 1) {
            out += ',';
        }
        append_string(out, key);
        out += ':';
        if (const auto* number = std::get_if<std::uint64_t>(&value)) {
            out += std::to_string(*number);
        } else {
            append_string(out, std::get<std::string_view>(value));
        }
    }
    out += '}';
    return out;
}

}  // namespace exam
