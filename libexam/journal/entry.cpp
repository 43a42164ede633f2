#include <array>

#include <exam/journal/entry.hpp>
#include <exam/util/error.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

constexpr std::array<std::pair<EntryKind, std::string_view>, 20> k_kind_names{{
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
    {EntryKind::hold, "hold"},
    {EntryKind::release, "release"},
    {EntryKind::purge, "purge"},
    {EntryKind::recording_gap, "recording-gap"},
    {EntryKind::alarm, "alarm"},
    {EntryKind::alarm_end, "alarm-end"},
    {EntryKind::snapshot, "snapshot"},
    {EntryKind::segment, "segment"},
    {EntryKind::other_event, "other"},
}};

// RFC 8785 string serialisation: escape '"', '\\' and control characters; everything else,
// non-ASCII included, stays literal UTF-8.
void append_string(std::string& out, std::string_view text) {
    out += '"';
    std::size_t run_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') {
            continue;  // most text: copied below in one run
        }
        out.append(text.substr(run_start, i - run_start));
        run_start = i + 1;
        switch (byte) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: {
                static constexpr char k_hex[] = "0123456789abcdef";
                out += "\\u00";
                out += k_hex[byte >> 4];
                out += k_hex[byte & 0x0f];
            }
        }
    }
    out.append(text.substr(run_start));
    out += '"';
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

std::string kind_for_people(EntryKind kind) {
    // TRANSLATORS: the kinds of journal entries, as the paper journal of access to the video
    // equipment names each action.
    switch (kind) {
        case EntryKind::enter: return _("enter");
        case EntryKind::exit: return _("exit");
        case EntryKind::denied: return _("denied");
        case EntryKind::roster_import: return _("roster-import");
        case EntryKind::operability_check: return _("operability-check");
        case EntryKind::recording_start: return _("recording-start");
        case EntryKind::recording_stop: return _("recording-stop");
        case EntryKind::angle_correction: return _("angle-correction");
        case EntryKind::card_out: return _("card-out");
        case EntryKind::card_in: return _("card-in");
        case EntryKind::export_video: return _("export");
        case EntryKind::hold: return _("hold");
        case EntryKind::release: return _("release");
        case EntryKind::purge: return _("purge");
        case EntryKind::recording_gap: return _("recording-gap");
        case EntryKind::alarm: return _("alarm");
        case EntryKind::alarm_end: return _("alarm-end");
        case EntryKind::snapshot: return _("snapshot");
        case EntryKind::segment: return _("segment");
        case EntryKind::other_event: return _("other");
    }
    return std::string{to_string(kind)};
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
        case EntryKind::hold:
        case EntryKind::release:
        case EntryKind::purge:
        case EntryKind::recording_gap:
        case EntryKind::alarm:
        case EntryKind::alarm_end:
        case EntryKind::snapshot:
        case EntryKind::other_event: return true;
        default: return false;
    }
}

std::vector<std::string_view> equipment_event_names() {
    std::vector<std::string_view> names;
    for (const auto& [value, name] : k_kind_names) {
        if (is_equipment_event(value)) {
            names.push_back(name);
        }
    }
    return names;
}

void require_utf8(std::string_view text, std::string_view field) {
    if (!is_valid_utf8(text)) {
        throw InputError(
            _f("the {} is not valid UTF-8 text; re-enter it or convert the file "
               "to UTF-8",
               field));
    }
}

std::string leaf_bytes(const JournalEntry& entry) {
    std::string out;
    out.reserve(512);
    append_leaf_bytes(out, entry);
    return out;
}

void append_leaf_bytes(std::string& out, const JournalEntry& entry) {
    // Written straight out in RFC 8785's key order (byte order for these ASCII keys): this is
    // the hot path of appends and of verify.
    const std::size_t start = out.size();
    out += '{';
    const auto text_field = [&out, start](std::string_view key, std::string_view value) {
        if (out.size() > start + 1) {
            out += ',';
        }
        out += '"';
        out += key;
        out += "\":";
        append_string(out, value);
    };
    const auto optional_field = [&](std::string_view key, const std::optional<std::string>& value) {
        if (value) {
            text_field(key, *value);
        }
    };
    optional_field("actor", entry.actor);
    optional_field("camera", entry.camera);
    optional_field("doc_hmac", entry.doc_hmac);
    optional_field("doc_tail", entry.doc_tail);
    optional_field("exam", entry.exam);
    text_field("kind", to_string(entry.kind));
    optional_field("name", entry.name);
    optional_field("note", entry.note);
    text_field("ppe", entry.ppe);
    optional_field("reason", entry.reason);
    text_field("region", entry.region);
    optional_field("role", entry.role);
    optional_field("room", entry.room);
    out += out.size() > start + 1 ? ",\"seq\":" : "\"seq\":";
    out += std::to_string(entry.seq);
    text_field("time", format_utc(entry.time));
    out += ",\"v\":";
    out += std::to_string(k_leaf_format_version);
    out += '}';
}

}  // namespace exam
