#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <exam/core/roles.hpp>
#include <exam/journal/names.hpp>
#include <exam/journal/roster.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/json.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/table.hpp>
#include <exam/util/text.hpp>
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

// The longest values a staff list may hold (docs/guide-entrance.md): no real name or role title
// comes near them, and a longer one is a merged row or a wrong column, not a person.
constexpr std::size_t k_max_name_characters = 200;
constexpr std::size_t k_max_field_characters = 200;
// Russian passports have 10 digits, foreign documents up to about 20 letters and digits.
constexpr std::size_t k_max_document_characters = 30;

std::size_t count_characters(std::string_view utf8) {
    return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

// Where a record's quote went wrong, for "FILE:LINE:COLUMN".
struct QuoteProblem {
    int line = 0;
    std::size_t column = 0;  // in characters, from 1
    std::string message;
};

// One CSV record as spreadsheets read it: a quote opens a quoted value only as the first
// character of a field (after blanks); there the separator, line breaks and doubled quotes
// are data. A quote anywhere else is an ordinary character, so a stray quote can never make a
// value swallow the line break and the rows after it. `pos` moves past the record.
std::vector<std::string> read_record(std::string_view text, std::size_t& pos, char separator,
                                     int& line, std::size_t& line_start,
                                     std::optional<QuoteProblem>& problem) {
    enum class State { field_start, unquoted, quoted, after_quoted };
    std::vector<std::string> fields(1);
    State state = State::field_start;
    QuoteProblem opened;
    const auto here = [&](std::size_t at) {
        return QuoteProblem{
            line, count_characters(text.substr(line_start, at - line_start)) + 1, {}};
    };
    while (pos < text.size()) {
        const std::size_t at = pos;
        const char c = text[pos++];
        if (state == State::quoted) {
            if (c == '"' && pos < text.size() && text[pos] == '"') {
                fields.back() += '"';
                ++pos;
            } else if (c == '"') {
                state = State::after_quoted;
            } else {
                if (c == '\n') {
                    ++line;
                    line_start = pos;
                }
                fields.back() += c;
            }
            continue;
        }
        if (c == separator) {
            fields.emplace_back();
            state = State::field_start;
        } else if (c == '\n') {
            line_start = pos;
            break;
        } else if (c == '\r') {
            // Windows line ends; a lone CR inside a value is refused later as a control character.
            if (pos >= text.size() || text[pos] != '\n') {
                fields.back() += c;
            }
        } else if (state == State::after_quoted) {
            if (c != ' ' && c != '\t') {
                problem = here(at);
                problem->message =
                    _f("unexpected \"{}\" after the closing quote of a value; a "
                       "quote inside a value is written twice (\"\")",
                       std::string_view{text.substr(at, 1)});
                return fields;
            }
        } else if (c == '"' && state == State::field_start) {
            fields.back().clear();  // blanks before the opening quote are not data
            opened = here(at);
            state = State::quoted;
        } else {
            fields.back() += c;
            if (c != ' ' && c != '\t') {
                state = State::unquoted;
            }
        }
    }
    if (state == State::quoted) {
        problem = opened;
        problem->message = _("a quoted value is never closed");
    }
    for (auto& field : fields) {
        field = std::string{trim_spaces(field)};
    }
    return fields;
}

// ';' from a Russian Excel's "CSV", ',' from most other programs, tabs from Excel's
// "Unicode text".
char detect_separator(std::string_view header_line) {
    const auto semicolons = std::count(header_line.begin(), header_line.end(), ';');
    const auto commas = std::count(header_line.begin(), header_line.end(), ',');
    const auto tabs = std::count(header_line.begin(), header_line.end(), '\t');
    if (tabs > std::max(semicolons, commas)) {
        return '\t';
    }
    return semicolons >= commas && semicolons > 0 ? ';' : ',';
}

[[noreturn]] void fail_row(const std::filesystem::path& file, int line,
                           const std::string& message) {
    throw InputError(_f("{}:{}: {}; nothing was imported", file.string(), line, message));
}

[[noreturn]] void fail_quote(const std::filesystem::path& file, const QuoteProblem& problem) {
    throw InputError(_f("{}:{}:{}: {}; nothing was imported", file.string(), problem.line,
                        problem.column, problem.message));
}

// Control characters, bidi overrides and NUL would reach the terminal and the journal raw (a
// name that clears the screen, or reads backwards); a value that long is a merged row.
void check_value(const std::filesystem::path& file, int line, std::string_view what,
                 std::string_view value, std::size_t max_characters) {
    if (has_unprintable_characters(value)) {
        fail_row(file, line,
                 _f("the {} \"{}\" holds a control character, a line break or a bidirectional "
                    "override; correct it in the spreadsheet",
                    what, for_terminal(value)));
    }
    if (count_characters(value) > max_characters) {
        fail_row(file, line,
                 _f("the {} is {} characters long, more than the {} a staff list may hold; "
                    "check that the row's columns are not merged",
                    what, count_characters(value), max_characters));
    }
}

std::string as_one_line(std::string text) {
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    return text;
}

std::map<Column, std::size_t> read_header(const std::vector<std::string>& header,
                                          const std::filesystem::path& file) {
    std::map<Column, std::size_t> columns;
    for (std::size_t i = 0; i < header.size(); ++i) {
        check_value(file, 1, _("column title"), header[i], k_max_field_characters);
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
    return columns;
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
    std::size_t line_start = 0;
    std::optional<QuoteProblem> quote_problem;
    const auto header = read_record(text, pos, separator, line, line_start, quote_problem);
    if (quote_problem) {
        fail_quote(file, *quote_problem);
    }
    const std::map<Column, std::size_t> columns = read_header(header, file);
    std::vector<RosterRow> rows;
    // One document is one person: the same number under two names is a typing mistake that
    // would let either of them in with the other's passport.
    std::map<std::string, std::size_t> row_of_document;
    while (pos < text.size()) {
        const int row_line = ++line;
        const auto fields = read_record(text, pos, separator, line, line_start, quote_problem);
        if (quote_problem) {
            fail_quote(file, *quote_problem);
        }
        if (fields.size() == 1 && fields[0].empty()) {
            continue;  // blank line
        }
        auto field = [&](Column column) -> std::string {
            const std::size_t index = columns.at(column);
            return index < fields.size() ? fields[index] : std::string{};
        };
        // A line break in a quoted cell (Excel's Alt+Enter) is read as a space, as names' other
        // runs of spaces are; any other control character is refused.
        check_value(file, row_line, _("role"), as_one_line(field(Column::role)),
                    k_max_field_characters);
        check_value(file, row_line, _("document number"), as_one_line(field(Column::document)),
                    k_max_field_characters);
        if (columns.contains(Column::exam)) {
            check_value(file, row_line, _("exam"), as_one_line(field(Column::exam)),
                        k_max_field_characters);
        }
        RosterRow row;
        row.line = row_line;
        row.name = clean_name(as_one_line(field(Column::name)));
        check_value(file, row_line, _("name"), row.name, k_max_name_characters);
        row.document = normalise_document_number(field(Column::document));
        if (row.name.empty()) {
            fail_row(file, row_line, _("the name is empty"));
        }
        const std::optional<std::string> role = role_from_text(field(Column::role));
        if (!role) {
            fail_row(file, row_line,
                     unknown_role_text(field(Column::role)) +
                         _(" (or their titles on form PPE-07, such as \"член ГЭК\" or "
                           "\"организатор в аудитории\")"));
        }
        row.role = *role;
        if (row.document.size() < 4) {
            fail_row(file, row_line,
                     _f("the document number of {} is missing or shorter than 4 "
                        "letters and digits",
                        row.name));
        }
        if (count_characters(row.document) > k_max_document_characters) {
            fail_row(file, row_line,
                     _f("the document number of {} has {} letters and digits, more than the {} "
                        "of any identity document",
                        row.name, count_characters(row.document), k_max_document_characters));
        }
        if (columns.contains(Column::exam) && !field(Column::exam).empty()) {
            row.exam = field(Column::exam);
            if (site.find_exam(*row.exam) == nullptr) {
                fail_row(file, row_line,
                         _f("exam \"{}\" is not in the site file", *row.exam) +
                             site.suggest_exam(*row.exam));
            }
        }
        const auto [earlier, first_time] = row_of_document.emplace(row.document, rows.size());
        if (!first_time && name_key(rows[earlier->second].name) != name_key(row.name)) {
            // Only the last four characters: a whole document number is never shown.
            fail_row(file, row_line,
                     _f("the document number …{} of {} is also that of {} on line {}; one "
                        "document belongs to one person",
                        row.document.substr(row.document.size() - 4), row.name,
                        rows[earlier->second].name, rows[earlier->second].line));
        }
        rows.push_back(std::move(row));
    }
    if (rows.empty()) {
        fail_row(file, 1, _("the staff list has a header but no people"));
    }
    return rows;
}

DecodedText decode_roster(std::string_view bytes, const std::filesystem::path& file) {
    auto decoded = decode_office_text(bytes);
    if (!decoded) {
        throw InputError(
            _f("the staff list \"{}\" is not text in UTF-8, UTF-16 or Windows-1251, so its names "
               "cannot be read; nothing was imported. In the spreadsheet, save it with \"Save as\" "
               "and the type \"CSV UTF-8\", or convert it: iconv -f ENCODING -t UTF-8 \"{}\" > "
               "staff-utf8.csv",
               file.string(), file.string()));
    }
    return std::move(*decoded);
}

RosterImport import_roster(Journal& journal, const Site& site, const std::filesystem::path& file,
                           const std::optional<std::string>& actor) {
    const std::string text = read_text_file(file, _("the staff list"));
    const DecodedText decoded = decode_roster(text, file);
    const std::vector<RosterRow> rows = parse_roster(decoded.utf8, file, site);

    JournalEntry entry;
    entry.kind = EntryKind::roster_import;
    // Journal text: English in every language, so that the signed entry never depends on it.
    entry.note = fmt::format("{} people from {} (sha256 {})", rows.size(), file.filename().string(),
                             to_hex(sha256(text)));
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
    RosterImport result{.people = rows.size(), .encoding = decoded.encoding, .notes = {}};
    if (decoded.encoding == TextEncoding::windows_1251) {
        result.notes.push_back(
            _f("{} is not UTF-8: it was read as Windows-1251, the encoding a Russian Excel saves "
               "CSV files in. Check the names with 'exam-journal roster list'; if they look wrong, "
               "save the list as \"CSV UTF-8\" and import it again",
               file.string()));
    } else if (decoded.encoding == TextEncoding::utf16) {
        result.notes.push_back(
            _f("{} is UTF-16 (Excel's \"Unicode text\"): it was read as such", file.string()));
    }
    return result;
}

RosterListing read_roster(Journal& journal) {
    RosterListing roster;
    SQLite::Statement query(journal.database(),
                            "SELECT name, role, doc_tail, exam FROM roster ORDER BY id");
    while (query.executeStep()) {
        RosterPerson person{query.getColumn(0).getString(), query.getColumn(1).getString(),
                            query.getColumn(2).getString(), std::nullopt};
        if (!query.getColumn(3).isNull()) {
            person.exam = query.getColumn(3).getString();
        }
        roster.people.push_back(std::move(person));
    }
    for_each_entry(
        journal.database(),
        [&](const JournalEntry& entry, const merkle::Hash&) { roster.last_import = entry; },
        "seq = (SELECT max(seq) FROM entry WHERE kind = 'roster-import')", {});
    return roster;
}

void write_roster_text(std::ostream& out, const RosterListing& roster, const TimeZone& zone,
                       const Palette& palette) {
    if (roster.people.empty()) {
        out << _("The staff list is empty: import it with 'exam-journal roster import FILE'.")
            << '\n';
        return;
    }
    std::string header =
        fmt::format(fmt::runtime(_n("{} person on the staff list", "{} people on the staff list",
                                    roster.people.size())),
                    roster.people.size());
    if (roster.last_import) {
        header += _f(", imported {} by {} (entry {}: {})",
                     zone.format_labelled(roster.last_import->time, TimePrecision::seconds),
                     for_terminal(roster.last_import->actor.value_or("?")), roster.last_import->seq,
                     for_terminal(roster.last_import->note.value_or("")));
    }
    out << palette.paint(header, Color::bold) << "\n\n";
    Table table({{_("NAME")}, {_("ROLE")}, {_("DOCUMENT")}, {_("EXAM")}});
    for (const RosterPerson& person : roster.people) {
        // The last four characters are all the journal knows; the ellipsis says so.
        table.add_row({for_terminal(person.name), for_terminal(person.role),
                       "…" + for_terminal(person.doc_tail),
                       for_terminal(person.exam.value_or(""))});
    }
    table.render(out, palette);
}

void write_roster_json(std::ostream& out, const RosterListing& roster) {
    Json people = Json::array();
    for (const RosterPerson& person : roster.people) {
        Json item{{"name", person.name}, {"role", person.role}, {"doc_tail", person.doc_tail}};
        if (person.exam) {
            item["exam"] = *person.exam;
        }
        people.push_back(std::move(item));
    }
    Json imported = nullptr;
    if (roster.last_import) {
        imported = Json{{"entry", roster.last_import->seq},
                        {"time", format_utc(roster.last_import->time)},
                        {"note", roster.last_import->note.value_or("")}};
        if (roster.last_import->actor) {
            imported["actor"] = *roster.last_import->actor;
        }
    }
    write_json(out, Json{{"version", 1},
                         {"count", roster.people.size()},
                         {"imported", std::move(imported)},
                         {"people", std::move(people)}});
}

}  // namespace exam
