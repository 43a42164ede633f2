// The journal as people and programs read it: listings (table, JSON, the printable equipment
// journal in HTML), who is inside, exports (CSV, JSONL of leaf bytes), checkpoints, verify
// reports and proofs.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/journal/admission.hpp>
#include <exam/journal/journal.hpp>
#include <exam/journal/verify.hpp>
#include <exam/util/terminal.hpp>

namespace exam {

struct EntryFilter {
    std::optional<std::string> exam;
    std::optional<TimePoint> since;
    std::optional<TimePoint> until;
    std::optional<std::string> role;
    std::optional<std::string> name;  // matched by name key (case, ё, spaces)
    std::optional<EntryKind> kind;
    std::optional<std::string> room;
    bool equipment_only = false;
};

EXAM_EXPORT std::vector<JournalEntry> list_entries(Journal& journal, const EntryFilter& filter);

EXAM_EXPORT void write_entries_text(std::ostream& out, const std::vector<JournalEntry>& entries,
                                    const TimeZone& zone, const Palette& palette);
EXAM_EXPORT void write_entries_json(std::ostream& out, const std::vector<JournalEntry>& entries);
// The paper "journal of access to video equipment": date, room, start, end, action, person.
EXAM_EXPORT void write_equipment_journal_html(std::ostream& out, const Journal& journal,
                                              const std::vector<JournalEntry>& entries,
                                              const TimeZone& zone, std::string_view site_name);

EXAM_EXPORT void write_inside_text(std::ostream& out, const std::vector<InsidePerson>& people,
                                   const TimeZone& zone, TimePoint now, const Palette& palette);
EXAM_EXPORT void write_inside_json(std::ostream& out, const std::vector<InsidePerson>& people);

// CSV for spreadsheets: every value quoted, and any value a spreadsheet would run as a
// formula (starting with = + - @ or a tab or carriage return) prefixed with an apostrophe.
EXAM_EXPORT void write_entries_csv(std::ostream& out, Journal& journal);
// Each entry's leaf bytes, one per line, in journal order.
EXAM_EXPORT void write_entries_jsonl(std::ostream& out, Journal& journal);
EXAM_EXPORT std::string neutralise_for_spreadsheet(std::string_view value);

EXAM_EXPORT void write_checkpoint_json(std::ostream& out, const StoredCheckpoint& checkpoint,
                                       const std::optional<VerifierKey>& key);
EXAM_EXPORT void write_verify_text(std::ostream& out, const VerifyReport& report,
                                   const Palette& palette);
EXAM_EXPORT void write_verify_json(std::ostream& out, const VerifyReport& report);
// Hashes in base64, as in checkpoints. The text says how to check the proof.
EXAM_EXPORT void write_proof_json(std::ostream& out, const InclusionProof& proof);
EXAM_EXPORT void write_proof_text(std::ostream& out, const InclusionProof& proof);

// A consistent copy of the journal (SQLite's VACUUM INTO) in rollback-journal mode, so it
// opens on read-only media; written beside `target` and renamed into place.
EXAM_EXPORT void backup_journal(Journal& journal, const std::filesystem::path& target);

}  // namespace exam
