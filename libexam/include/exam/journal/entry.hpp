// One entry of the journal and its leaf bytes: the canonical JSON (RFC 8785) that the Merkle
// tree hashes. The format is frozen once shipped; a change needs a new "v".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <exam/export.hpp>
#include <exam/util/time.hpp>

namespace exam {

inline constexpr int k_leaf_format_version = 1;

// What an entry records. Stored and hashed by their spelling (to_string), which is frozen.
enum class EntryKind {
    enter,
    exit,
    denied,
    roster_import,
    operability_check,
    recording_start,
    recording_stop,
    angle_correction,
    card_out,
    card_in,
    export_video,
    hold,           // recordings protected from purge (an appeal, an inspection)
    release,        // ... and no longer
    purge,          // recordings past retention deleted
    recording_gap,  // a camera the service wanted recording delivered nothing for a while
    alarm,          // a camera's condition lasted past the site's alarm_after
    alarm_end,      // ... and ended
    snapshot,       // a stamped picture taken (the angle correction's evidence)
    segment,
    other_event,
};

EXAM_EXPORT std::string_view to_string(EntryKind kind);
// The kind as the paper journal names the action, in the user's language (English: the kind's
// own name). Listings and filters keep to_string's names, which --kind takes.
EXAM_EXPORT std::string kind_for_people(EntryKind kind);
EXAM_EXPORT std::optional<EntryKind> entry_kind_from_string(std::string_view text);
// Kinds that `exam-journal event` records: actions on the equipment.
EXAM_EXPORT bool is_equipment_event(EntryKind kind);
// Their spellings, in the order the paper journal lists them.
EXAM_EXPORT std::vector<std::string_view> equipment_event_names();

// The `reason` of a recording-start, recording-stop or recording-gap entry written by the
// recorder: fixed words, never translated, so that signed entries do not depend on the language
// (docs/journal-format.md).
namespace recording_reason {
inline constexpr std::string_view restart_after_crash = "restart-after-crash";
inline constexpr std::string_view ctrl_c = "ctrl-c";
inline constexpr std::string_view sigterm = "sigterm";
inline constexpr std::string_view disk_full = "disk-full";
inline constexpr std::string_view error = "error";
inline constexpr std::string_view no_picture = "no-picture";  // a gap: the camera sent none
}  // namespace recording_reason

struct JournalEntry {
    std::uint64_t seq = 0;
    TimePoint time;
    EntryKind kind = EntryKind::other_event;
    std::string region;
    std::string ppe;
    // Absent fields are omitted from the leaf, never written as null.
    std::optional<std::string> exam;
    std::optional<std::string> name;
    std::optional<std::string> role;
    std::optional<std::string> doc_hmac;
    std::optional<std::string> doc_tail;
    std::optional<std::string> room;
    std::optional<std::string> camera;
    std::optional<std::string> note;
    std::optional<std::string> reason;
    std::optional<std::string> actor;
};

// RFC 8785 canonical JSON of the entry: keys sorted, no whitespace, only strings and integers.
EXAM_EXPORT std::string leaf_bytes(const JournalEntry& entry);
// The same, appended to `out` (verify packs many leaves into one buffer).
EXAM_EXPORT void append_leaf_bytes(std::string& out, const JournalEntry& entry);

// Throws InputError when `text` is not valid UTF-8, naming the field, because a leaf must
// be valid Unicode to be canonical.
EXAM_EXPORT void require_utf8(std::string_view text, std::string_view field);

}  // namespace exam
