#include <array>
#include <cctype>
#include <chrono>
#include <unordered_map>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <exam/journal/checkpoint.hpp>
#include <exam/journal/entry.hpp>
#include <exam/journal/names.hpp>
#include <exam/util/error.hpp>
#include <exam/util/sqlite.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "journal/schema.hpp"
#include "journal/verify_unsigned.hpp"

namespace exam::verify_unsigned {
namespace {

using namespace std::chrono_literals;

// The auditor's clock may be behind the exam point's: a checkpoint signed up to a day "in the
// future" of the verifying machine is not called altered.
constexpr auto k_clock_tolerance = 24h;

// A time exactly as the journal writes it (RFC 3339, milliseconds, Z): anything else, invalid
// UTF-8 included, was not written by examkit.
std::optional<TimePoint> written_time(const std::string& text) {
    const auto time = parse_utc(text);
    if (!time || format_utc(*time) != text) {
        return std::nullopt;
    }
    return time;
}

using SchemaRows = std::vector<std::array<std::string, 4>>;

SchemaRows schema_of(SQLite::Database& database) {
    SchemaRows rows;
    SQLite::Statement query(database,
                            "SELECT quote(type), quote(name), quote(tbl_name), quote(sql) "
                            "FROM sqlite_schema "
                            "ORDER BY type, name");
    while (query.executeStep()) {
        rows.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                        query.getColumn(2).getString(), query.getColumn(3).getString()});
    }
    return rows;
}

// The schema examkit creates, built afresh in memory from the same migrations.
const SchemaRows& expected_schema() {
    static const SchemaRows k_schema = [] {
        SQLite::Database memory(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (const Migration& migration : journal_schema::k_migrations) {
            memory.exec(std::string{migration.sql});
        }
        return schema_of(memory);
    }();
    return k_schema;
}

std::optional<std::string> schema_problem(SQLite::Database& database) {
    const SchemaRows found = schema_of(database);
    const SchemaRows& expected = expected_schema();
    for (std::size_t i = 0; i < std::max(found.size(), expected.size()); ++i) {
        if (i >= found.size() || i >= expected.size() || found[i] != expected[i]) {
            const auto& differing = i < found.size() ? found[i] : expected[i];
            return _f(
                "the journal's schema differs from the one examkit creates, at {} \"{}\": "
                "the file was changed outside examkit",
                differing[0], differing[1]);
        }
    }
    return std::nullopt;
}

// Read by a full scan of the table, not through its index, so that a key changed in either
// one is seen.
std::optional<std::string> meta_problem(Journal& journal, const VerifierKey& key,
                                        KeySource key_source) {
    std::map<std::string, std::string> meta;
    SQLite::Statement query(journal.database(), "SELECT key, value FROM meta NOT INDEXED");
    while (query.executeStep()) {
        meta[query.getColumn(0).getString()] = query.getColumn(1).getString();
    }
    const std::map<std::string, std::string> expected_keys{
        {"created_at", ""}, {"origin", ""}, {"ppe", ""}, {"public_key", ""}, {"region", ""}};
    for (const auto& [name, value] : meta) {
        if (!expected_keys.contains(name)) {
            return _f(
                "the journal's meta table holds a record \"{}\" examkit never writes: the "
                "file was changed outside examkit",
                name);
        }
    }
    for (const auto& [name, unused] : expected_keys) {
        if (!meta.contains(name)) {
            return _f(
                "the journal's meta table has no \"{}\" record: the file was changed "
                "outside examkit",
                name);
        }
    }
    if (meta["region"] != journal.region() || meta["ppe"] != journal.ppe() ||
        meta["origin"] != journal.origin()) {
        return _(
            "the journal's meta table disagrees with its own index: the file was changed "
            "outside examkit");
    }
    if (meta["origin"] != journal_origin(meta["region"], meta["ppe"])) {
        return _f("the journal's origin \"{}\" is not that of its region {} and exam point {}",
                  meta["origin"], meta["region"], meta["ppe"]);
    }
    // The key that checked the signatures is the one the journal must carry.
    if (key_source != KeySource::journal && meta["public_key"] != key.to_text()) {
        return _f(
            "the journal carries the public key \"{}\", not the key {} that signed its "
            "checkpoints: the record was changed",
            meta["public_key"], key.to_text());
    }
    if (!written_time(meta["created_at"])) {
        return _f("the journal's creation time \"{}\" is not a time examkit writes",
                  meta["created_at"]);
    }
    return std::nullopt;
}

// Each checkpoint's time is not signed; it must be one examkit could have written: not before
// the last entry it covers, not after the next entry (appends never go back before the latest
// checkpoint), and not after today for the newest.
std::optional<std::string> checkpoint_time_problem(Journal& journal,
                                                   const std::vector<TimePoint>& times) {
    SQLite::Statement query(journal.database(),
                            "SELECT tree_size, signed_at FROM checkpoint ORDER BY tree_size");
    while (query.executeStep()) {
        const auto size = static_cast<std::uint64_t>(query.getColumn(0).getInt64());
        const std::string text = query.getColumn(1).getString();
        const auto signed_at = written_time(text);
        const bool after_covered =
            !signed_at || size == 0 || size > times.size() || *signed_at >= times[size - 1];
        const TimePoint latest = size < times.size() ? times[size] : now() + k_clock_tolerance;
        if (!signed_at || !after_covered || *signed_at > latest) {
            return _f(
                "the checkpoint at tree size {} has the signing time \"{}\", which examkit "
                "cannot have written (not a time, or not between the entries around it): "
                "the file was changed",
                size, text);
        }
    }
    return std::nullopt;
}

// A value stored with another type than its column's (a text flipped to a blob, say) reads the
// same through the text accessors, so the types are checked for every row: this SQL condition
// is true of a row of `table` holding a value of another type.
std::string wrong_type_condition(SQLite::Database& database, const std::string& table) {
    std::string wrong;
    SQLite::Statement columns(database,
                              "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)");
    columns.bind(1, table);
    while (columns.executeStep()) {
        const std::string name = columns.getColumn(0).getString();
        std::string allowed = "'" + ascii_lower(columns.getColumn(1).getString()) + "'";
        if (columns.getColumn(2).getInt() == 0 && columns.getColumn(3).getInt() == 0) {
            allowed += ", 'null'";
        }
        wrong += wrong.empty() ? "" : " OR ";
        wrong += fmt::format("typeof(\"{}\") NOT IN ({})", name, allowed);
    }
    return wrong.empty() ? "0" : wrong;
}

std::string wrong_type_text(std::int64_t row, std::string_view table) {
    return _f(
        "a value in row {} of the journal's table {} is not of its column's type: the file "
        "was changed outside examkit",
        row, table);
}

// The small tables; the entries' types are checked in entry_fields_problem's pass.
std::optional<std::string> column_type_problem(SQLite::Database& database) {
    for (const std::string table : {"meta", "checkpoint", "tree_state", "presence"}) {
        SQLite::Statement rows(database, fmt::format("SELECT rowid FROM \"{}\" NOT INDEXED "
                                                     "WHERE {} LIMIT 1",
                                                     table, wrong_type_condition(database, table)));
        if (rows.executeStep()) {
            return wrong_type_text(rows.getColumn(0).getInt64(), table);
        }
    }
    return std::nullopt;
}

// A text column's every byte, a NUL inside included (getText() would stop at it), unallocated.
std::string_view whole_text(const SQLite::Column& column) {
    return {column.getText(), static_cast<std::size_t>(column.getBytes())};
}

// The time of day of a time written as examkit writes it, "…THH:MM:SS.mmmZ" after its date.
bool is_written_time_of_day(std::string_view text) {
    auto two = [&](std::size_t at, int most) {
        return std::isdigit(static_cast<unsigned char>(text[at])) != 0 &&
               std::isdigit(static_cast<unsigned char>(text[at + 1])) != 0 &&
               (text[at] - '0') * 10 + (text[at + 1] - '0') <= most;
    };
    return text.size() == 24 && text[10] == 'T' && two(11, 23) && text[13] == ':' && two(14, 59) &&
           text[16] == ':' && two(17, 59) && text[19] == '.' &&
           std::isdigit(static_cast<unsigned char>(text[20])) != 0 &&
           std::isdigit(static_cast<unsigned char>(text[21])) != 0 &&
           std::isdigit(static_cast<unsigned char>(text[22])) != 0 && text[23] == 'Z';
}

// One pass over the entries for what reading them does not show: each value's type (see
// wrong_type_condition). Reading an entry maps a kind
// it does not know to "other" and parses its time, so a changed kind or a time written another
// way could give the same leaf: both must be exactly as written. And a name's lookup key is
// derived from the name: `list --name` and admissions search by it.
std::optional<std::string> entry_fields_problem(Journal& journal) {
    std::unordered_map<std::string, std::string> keys;  // recent names, to derive each key once
    std::string checked_date;  // entries run in time order: a date is checked in full once
    SQLite::Statement query(
        journal.database(),
        fmt::format("SELECT seq, kind, time, name, name_key, {} FROM entry ORDER BY seq",
                    wrong_type_condition(journal.database(), "entry")));
    while (query.executeStep()) {
        if (query.getColumn(5).getInt() != 0) {
            return wrong_type_text(query.getColumn(0).getInt64(), "entry");
        }
        const std::string_view kind = whole_text(query.getColumn(1));
        const std::string_view time = whole_text(query.getColumn(2));
        bool time_as_written = false;
        if (time.size() == 24 && time.substr(0, 10) == checked_date) {
            time_as_written = is_written_time_of_day(time);
        } else if (written_time(std::string{time})) {
            time_as_written = true;
            checked_date = time.substr(0, 10);
        }
        if (!entry_kind_from_string(kind) || !time_as_written) {
            return _f(
                "entry {} has a kind or a time examkit never writes: the file was changed "
                "outside examkit",
                query.getColumn(0).getInt64());
        }
        if (query.getColumn(3).isNull() && query.getColumn(4).isNull()) {
            continue;
        }
        const std::string name = query.getColumn(3).getString();
        auto found = keys.find(name);
        if (found == keys.end()) {
            if (keys.size() >= 4096) {
                keys.clear();  // a person's entries come close together; a year's names do not fit
            }
            std::string key;
            try {
                key = name_key(name);
            } catch (const Error&) {
                key = "\x01";  // not UTF-8: matches no stored key
            }
            found = keys.emplace(name, std::move(key)).first;
        }
        if (query.getColumn(3).isNull() || whole_text(query.getColumn(4)) != found->second) {
            return _f(
                "entry {} has a lookup key that is not that of its name: the file was "
                "changed outside examkit",
                query.getColumn(0).getInt64());
        }
    }
    return std::nullopt;
}

std::optional<std::string> tree_state_problem(Journal& journal, const merkle::CompactRange& tree) {
    SQLite::Statement query(journal.database(), "SELECT size, peaks, id FROM tree_state");
    std::string expected_peaks;
    for (const merkle::Hash& peak : tree.peaks()) {
        expected_peaks.append(reinterpret_cast<const char*>(peak.data()), peak.size());
    }
    std::size_t rows = 0;
    while (query.executeStep()) {
        ++rows;
        const SQLite::Column peaks = query.getColumn(1);
        const std::string stored(static_cast<const char*>(peaks.getBlob()),
                                 static_cast<std::size_t>(peaks.getBytes()));
        if (static_cast<std::uint64_t>(query.getColumn(0).getInt64()) != tree.size() ||
            stored != expected_peaks || query.getColumn(2).getInt64() != 1) {
            return _(
                "the journal's stored tree state is not the tree of its entries: the next "
                "append would sign a wrong root; the file was changed outside examkit");
        }
    }
    if (rows != 1) {
        return _("the journal's tree state table does not hold exactly one row");
    }
    return std::nullopt;
}

}  // namespace

void check_file_structure(Journal& journal) {
    SQLite::Statement query(journal.database(), "PRAGMA integrity_check(20)");
    std::string found;
    while (query.executeStep()) {
        const std::string line = query.getColumn(0).getString();
        if (line != "ok") {
            found += found.empty() ? "" : "; ";
            found += line;
        }
    }
    if (!found.empty()) {
        throw database_error(journal.database().getFilename(), SQLITE_CORRUPT,
                             "integrity check: " + found.substr(0, 300));
    }
}

void Replay::add(const JournalEntry& entry) {
    m_times.push_back(entry.time);
    if (entry.kind == EntryKind::enter && entry.doc_hmac) {
        m_inside[*entry.doc_hmac] = Inside{entry.seq, entry.name.value_or(""),
                                           entry.role.value_or(""), entry.exam, entry.time};
    } else if (entry.kind == EntryKind::exit && entry.doc_hmac) {
        m_inside.erase(*entry.doc_hmac);
    }
}

std::optional<std::string> Replay::problem(Journal& journal, const VerifierKey& key,
                                           KeySource key_source,
                                           const merkle::CompactRange& tree) const {
    if (auto problem = schema_problem(journal.database())) {
        return problem;
    }
    if (auto problem = column_type_problem(journal.database())) {
        return problem;
    }
    if (auto problem = entry_fields_problem(journal)) {
        return problem;
    }
    if (auto problem = meta_problem(journal, key, key_source)) {
        return problem;
    }
    if (auto problem = checkpoint_time_problem(journal, m_times)) {
        return problem;
    }
    if (auto problem = tree_state_problem(journal, tree)) {
        return problem;
    }
    // Who is inside (what 'inside' shows) is what the entries' admissions and exits leave.
    SQLite::Statement query(
        journal.database(),
        "SELECT doc_hmac, enter_seq, name, name_key, role, exam, since FROM presence NOT INDEXED");
    std::size_t rows = 0;
    while (query.executeStep()) {
        ++rows;
        const auto found = m_inside.find(query.getColumn(0).getString());
        const bool exam_matches =
            found != m_inside.end() &&
            (query.getColumn(5).isNull() ? !found->second.exam
                                         : found->second.exam == query.getColumn(5).getString());
        if (found == m_inside.end() || !exam_matches ||
            static_cast<std::uint64_t>(query.getColumn(1).getInt64()) != found->second.enter_seq ||
            query.getColumn(2).getString() != found->second.name ||
            query.getColumn(4).getString() != found->second.role ||
            query.getColumn(6).getString() != format_utc(found->second.since) ||
            query.getColumn(3).getString() != name_key(found->second.name)) {
            return _(
                "the journal's list of who is inside is not what its entries say: the file "
                "was changed outside examkit");
        }
    }
    if (rows != m_inside.size()) {
        return _(
            "the journal's list of who is inside is not what its entries say: the file "
            "was changed outside examkit");
    }
    return std::nullopt;
}

std::vector<std::string> unchecked_parts() {
    return {_("the staff list (roster list): it is not signed; each 'roster import' entry holds "
              "the SHA-256 of the file imported, so compare the file itself with it"),
            _("the checkpoints' signing times are not signed: each was checked only to lie "
              "between the entries around it"),
            _("the journal's creation time (meta created_at) is not signed: it was checked only "
              "for its form")};
}

}  // namespace exam::verify_unsigned
