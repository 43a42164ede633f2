// The staff list (form PPE-07) as spreadsheets export it: a header row naming the columns
// name, role, document and optionally exam (Russian headers too), UTF-8 with or without BOM,
// separated by ';' or ','. Document numbers never reach the database: only their keyed hash
// and last four characters do.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/journal/journal.hpp>

namespace exam {

struct RosterRow {
    int line = 0;
    std::string name;
    std::string role;
    std::string document;  // normalised; lives only in memory until hashed
    std::optional<std::string> exam;
};

// Throws InputError "FILE:LINE: message" for the first bad row; nothing is returned then.
EXAM_EXPORT std::vector<RosterRow> parse_roster(std::string_view text,
                                                const std::filesystem::path& file,
                                                const Site& site);

// Replaces the roster with the file's rows and records a roster-import entry, in one
// transaction: a bad file imports nothing.
EXAM_EXPORT std::size_t import_roster(Journal& journal, const Site& site,
                                      const std::filesystem::path& file,
                                      const std::optional<std::string>& actor);

}  // namespace exam
