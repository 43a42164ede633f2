// The staff list (form PPE-07) as spreadsheets export it: a header row naming the columns
// name, role, document and optionally exam (Russian headers too), in UTF-8 (with or without
// BOM), Windows-1251 or UTF-16, separated by ';', ',' or tabs. Roles are ids or their Russian
// titles. Document numbers never reach the database: only their keyed hash and last four
// characters do.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/journal/journal.hpp>
#include <exam/util/encoding.hpp>
#include <exam/util/terminal.hpp>
#include <exam/util/time.hpp>

namespace exam {

struct RosterRow {
    int line = 0;
    std::string name;
    std::string role;
    std::string document;  // normalised; lives only in memory until hashed
    std::optional<std::string> exam;
};

// The rows of UTF-8 text. Throws InputError "FILE:LINE: message" for the first bad row;
// nothing is returned then.
EXAM_EXPORT std::vector<RosterRow> parse_roster(std::string_view text,
                                                const std::filesystem::path& file,
                                                const Site& site);

// The file's bytes as UTF-8, whichever encoding the spreadsheet saved them in. Throws
// InputError saying how to convert the file when they are in none examkit reads.
EXAM_EXPORT DecodedText decode_roster(std::string_view bytes, const std::filesystem::path& file);

struct RosterImport {
    std::size_t people = 0;
    TextEncoding encoding = TextEncoding::utf8;
    // For the person importing, e.g. that the file was read as Windows-1251.
    std::vector<std::string> notes;
};

// Replaces the roster with the file's rows and records a roster-import entry, in one
// transaction: a bad file imports nothing. The entry's note names the file and the SHA-256 of
// its bytes as they are on disk, whatever their encoding.
EXAM_EXPORT RosterImport import_roster(Journal& journal, const Site& site,
                                       const std::filesystem::path& file,
                                       const std::optional<std::string>& actor);

// One person on the staff list as the journal keeps them: never the document number, only its
// last four characters.
struct RosterPerson {
    std::string name;
    std::string role;
    std::string doc_tail;
    std::optional<std::string> exam;
};

struct RosterListing {
    std::vector<RosterPerson> people;         // in the order of the imported file
    std::optional<JournalEntry> last_import;  // the roster-import entry that made the list
};

EXAM_EXPORT RosterListing read_roster(Journal& journal);
EXAM_EXPORT void write_roster_text(std::ostream& out, const RosterListing& roster,
                                   const TimeZone& zone, const Palette& palette);
EXAM_EXPORT void write_roster_json(std::ostream& out, const RosterListing& roster);

}  // namespace exam
