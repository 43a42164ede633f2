#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include <SQLiteCpp/Statement.h>

#include <exam/core/roles.hpp>
#include <exam/journal/names.hpp>
#include <exam/journal/roster.hpp>
#include <exam/util/error.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

enum class Column { name, role, document, exam };

// Header spellings, compared by name_key (case-folded), English and Russian.
const std::array<std::pair<std::string_view, Column>, 13> k_headers{{
    {"name", Column::name},
    {"фио", Column::name},
    {"ф.и.о.", Column::name},
    {"role", Column::role},
    {"роль", Column::role},
    {"должность", Column::role},
    {"document", Column::document},
    {"документ", Column::document},
    {"паспорт", Column::document},
    {"номер документа", Column::document},
    {"exam", Column::exam},
    {"экзамен", Column::exam},
    {"код экзамена", Column::exam},
}};

// One CSV record, quotes and doubled quotes understood; `pos` moves past it.
std::vector<std::string> read_record(std::string_view text, std::size_t& pos, char separator,
                                     int& line, bool& unterminated) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    while (pos < text.size()) {
        const char c = text[pos++];
        if (quoted) {
            if (c == '"') {
                if (pos < text.size() && text[pos] == '"') {
                    fields.back() += '"';
                    ++pos;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') {
                    ++line;
                }
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == separator) {
            fields.emplace_back();
        } else if (c == '\n') {
            break;
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    unterminated = quoted;
    for (auto& field : fields) {
        const auto first = field.find_first_not_of(" \t");
        const auto last = field.find_last_not_of(" \t");
        field = first == std::string::npos ? "" : field.substr(first, last - first + 1);
    }
    return fields;
}

char detect_separator(std::string_view header_line) {
    const auto semicolons = std::count(header_line.begin(), header_line.end(), ';');
    const auto commas = std::count(header_line.begin(), header_line.end(), ',');
    return semicolons >= commas && semicolons > 0 ? ';' : ',';
}

[[noreturn]] void fail_row(const std::filesystem::path& file, int line,
                           const std::string& message) {
    throw InputError(_f("{}:{}: {}; nothing was imported", file.string(), line, message));
}

}  // namespace

std::vector<RosterRow> parse_roster(std::string_view text, const std::filesystem::path& file,
                                    const Site& site) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
    }
    require_utf8(text, "staff list " + file.string());
    const char separator = detect_separator(text.substr(0, text.find('\n')));
    std::size_t pos = 0;
    int line = 1;
    bool unterminated = false;
    const auto header = read_record(text, pos, separator, line, unterminated);
    std::map<Column, std::size_t> columns;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string key = name_key(header[i]);
        for (const auto& [spelling, column] : k_headers) {
            if (key == spelling) {
                if (columns.contains(column)) {
                    fail_row(file, 1,
                             _f("the column \"{}\" appears twice in the header", header[i]));
                }
                columns[column] = i;
            }
        }
    }
    for (const auto& [column, title] :
         {std::pair{Column::name, "name"}, std::pair{Column::role, "role"},
          std::pair{Column::document, "document"}}) {
        if (!columns.contains(column)) {
            fail_row(file, 1,
                     _f("the header row has no \"{}\" column; expected columns name, role, "
                        "document and optionally exam (or ФИО, роль, документ, экзамен)",
                        title));
        }
    }
    std::vector<RosterRow> rows;
    while (pos < text.size()) {
        const int row_line = ++line;
        const auto fields = read_record(text, pos, separator, line, unterminated);
        if (unterminated) {
            fail_row(file, row_line, _("a quoted value is never closed"));
        }
        if (fields.size() == 1 && fields[0].empty()) {
            continue;  // blank line
        }
        auto field = [&](Column column) -> std::string {
            const std::size_t index = columns.at(column);
            return index < fields.size() ? fields[index] : std::string{};
        };
        RosterRow row;
        row.line = row_line;
        row.name = clean_name(field(Column::name));
        row.role = field(Column::role);
        row.document = normalise_document_number(field(Column::document));
        if (row.name.empty()) {
            fail_row(file, row_line, _("the name is empty"));
        }
        if (!is_known_role(row.role)) {
            fail_row(file, row_line,
                     _f("unknown role \"{}\"; the roles are: {}", row.role, known_roles_text()));
        }
        if (row.document.size() < 4) {
            fail_row(file, row_line,
                     _f("the document number of {} is missing or shorter than 4 "
                        "letters and digits",
                        row.name));
        }
        if (columns.contains(Column::exam) && !field(Column::exam).empty()) {
            row.exam = field(Column::exam);
            if (site.find_exam(*row.exam) == nullptr) {
                fail_row(file, row_line, _f("exam \"{}\" is not in the site file", *row.exam));
            }
        }
        rows.push_back(std::move(row));
    }
    if (rows.empty()) {
        fail_row(file, 1, _("the staff list has a header but no people"));
    }
    return rows;
}

std::size_t import_roster(Journal& journal, const Site& site, const std::filesystem::path& file,
                          const std::optional<std::string>& actor) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw InputError(_f("cannot read the staff list \"{}\"", file.string()));
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::vector<RosterRow> rows = parse_roster(text.str(), file, site);

    JournalEntry entry;
    entry.kind = EntryKind::roster_import;
    // Journal text: English in every language, so that the signed entry never depends on it.
    entry.note = fmt::format("{} people from {} (sha256 {})", rows.size(), file.filename().string(),
                             to_hex(sha256(text.str())));
    entry.actor = actor;
    journal.append(entry, [&](SQLite::Database& database, const JournalEntry&) {
        database.exec("DELETE FROM roster");
        SQLite::Statement insert(
            database,
            "INSERT INTO roster (name, name_key, role, doc_hmac, doc_tail, exam) "
            "VALUES (?, ?, ?, ?, ?, ?)");
        for (const RosterRow& row : rows) {
            insert.bind(1, row.name);
            insert.bind(2, name_key(row.name));
            insert.bind(3, row.role);
            insert.bind(4, journal.document_hmac(row.document));
            insert.bind(5, row.document.substr(row.document.size() - 4));
            if (row.exam) {
                insert.bind(6, *row.exam);
            } else {
                insert.bind(6);
            }
            insert.exec();
            insert.reset();
        }
    });
    return rows.size();
}

}  // namespace exam
