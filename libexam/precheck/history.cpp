#include <array>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include <exam/precheck/history.hpp>
#include <exam/util/sqlite.hpp>
#include <exam/util/table.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

constexpr std::array k_history_schema{Migration{1, R"sql(
CREATE TABLE run (
    id        INTEGER PRIMARY KEY,
    time      TEXT NOT NULL,
    station   TEXT NOT NULL,
    exam      TEXT,
    suite     TEXT NOT NULL,
    exit_code INTEGER NOT NULL,
    summary   TEXT NOT NULL
);
CREATE TABLE result (
    run_id      INTEGER NOT NULL REFERENCES run (id),
    check_id    TEXT NOT NULL,
    status      TEXT NOT NULL,
    severity    TEXT NOT NULL,
    observed    REAL,
    observed_text TEXT,
    unit        TEXT NOT NULL,
    message     TEXT NOT NULL,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX result_by_check ON result (check_id, run_id);
)sql"}};

std::string shown_time(const std::string& stored, const std::optional<TimeZone>& zone) {
    const auto time = parse_utc(stored);
    if (!time || !zone) {
        return stored;
    }
    return zone->format_for_display(*time);
}

// A status as stored ("pass"), in the user's language; kept as stored when it is none.
std::string shown_status(const std::string& stored) {
    const auto status = check_status_from_string(stored);
    return status ? status_for_people(*status) : stored;
}

}  // namespace

std::filesystem::path default_history_file(const std::filesystem::path& data_folder) {
    return data_folder / "precheck-history.sqlite";
}

void record_run(const std::filesystem::path& history, const RunInfo& info,
                const std::filesystem::path& suite, std::span<const CheckResult> results) {
    std::error_code ignored;
    std::filesystem::create_directories(history.parent_path(), ignored);
    SQLite::Database database =
        open_database(history, DatabaseOptions{.migrations = k_history_schema});
    try {
        SQLite::Transaction transaction(database, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement run(database,
                              "INSERT INTO run (time, station, exam, suite, exit_code, summary) "
                              "VALUES (?, ?, ?, ?, ?, ?)");
        run.bind(1, format_utc(info.time));
        run.bind(2, info.station);
        if (info.exam) {
            run.bind(3, *info.exam);
        }
        run.bind(4, suite.string());
        run.bind(5, static_cast<int>(run_exit_code(results)));
        run.bind(6, run_summary(results));
        run.exec();
        const std::int64_t run_id = database.getLastInsertRowid();
        SQLite::Statement insert(database, "INSERT INTO result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (const CheckResult& result : results) {
            insert.bind(1, run_id);
            insert.bind(2, result.id);
            insert.bind(3, std::string{to_string(result.status)});
            insert.bind(4, std::string{to_string(result.severity)});
            if (const auto* number = std::get_if<double>(&result.observed.value)) {
                insert.bind(5, *number);
            } else {
                insert.bind(5);
            }
            if (const auto* text = std::get_if<std::string>(&result.observed.value)) {
                insert.bind(6, *text);
            } else {
                insert.bind(6);
            }
            insert.bind(7, result.observed.unit);
            insert.bind(8, result.message);
            insert.bind(9, static_cast<std::int64_t>(result.duration.count()));
            insert.exec();
            insert.reset();
        }
        transaction.commit();
    } catch (const SQLite::Exception& e) {
        throw StorageError(
            _f("could not record the run in the history \"{}\": {}", history.string(), e.what()));
    }
}

void write_history_text(std::ostream& out, const std::filesystem::path& history,
                        const std::optional<std::string>& check_id, std::size_t limit,
                        const std::optional<TimeZone>& zone, const Palette& palette) {
    SQLite::Database database = open_database(
        history,
        DatabaseOptions{.access = DatabaseAccess::read_only, .migrations = k_history_schema});
    if (!check_id) {
        Table table({{_("RUN"), Align::right},
                     {_("TIME")},
                     {_("STATION")},
                     {_("EXAM")},
                     {_("EXIT"), Align::right},
                     {_("RESULTS")}});
        SQLite::Statement runs(database,
                               "SELECT id, time, station, exam, exit_code, summary FROM run "
                               "ORDER BY id DESC LIMIT ?");
        runs.bind(1, static_cast<std::int64_t>(limit));
        while (runs.executeStep()) {
            const int exit_code = runs.getColumn(4).getInt();
            table.add_row({runs.getColumn(0).getString(),
                           shown_time(runs.getColumn(1).getString(), zone),
                           runs.getColumn(2).getString(),
                           runs.getColumn(3).isNull() ? "" : runs.getColumn(3).getString(),
                           {std::to_string(exit_code), exit_code == 0   ? Color::green
                                                       : exit_code == 1 ? Color::yellow
                                                                        : Color::red},
                           runs.getColumn(5).getString()});
        }
        table.render(out, palette);
        return;
    }
    Table table({{_("RUN"), Align::right},
                 {_("TIME")},
                 {_("STATUS")},
                 {_("OBSERVED"), Align::right},
                 {_("CHANGE"), Align::right},
                 {_("MESSAGE")}});
    SQLite::Statement rows(
        database,
        "SELECT run.id, run.time, result.status, result.observed, result.observed_text, "
        "result.unit, result.message FROM result JOIN run ON run.id = result.run_id "
        "WHERE result.check_id = ? ORDER BY run.id DESC LIMIT ?");
    rows.bind(1, *check_id);
    rows.bind(2, static_cast<std::int64_t>(limit + 1));
    struct Row {
        std::vector<std::string> cells;
        std::optional<double> value;
        std::string status;
    };
    std::vector<Row> found;
    while (rows.executeStep()) {
        Row row;
        const std::string unit = rows.getColumn(5).getString();
        std::string observed;
        if (!rows.getColumn(3).isNull()) {
            row.value = rows.getColumn(3).getDouble();
            observed = fmt::format("{:g} {}", *row.value, unit);
        } else if (!rows.getColumn(4).isNull()) {
            observed = rows.getColumn(4).getString();
        }
        row.status = rows.getColumn(2).getString();
        row.cells = {rows.getColumn(0).getString(),
                     shown_time(rows.getColumn(1).getString(), zone),
                     shown_status(row.status),
                     observed,
                     "",
                     rows.getColumn(6).getString()};
        found.push_back(std::move(row));
    }
    if (found.empty()) {
        out << _f("No run in the history has a check \"{}\".", *check_id) << '\n';
        return;
    }
    // The change is against the run before it, which is the next row (newest first).
    for (std::size_t i = 0; i < found.size() && i < limit; ++i) {
        if (i + 1 < found.size() && found[i].value && found[i + 1].value) {
            found[i].cells[4] = fmt::format("{:+g}", *found[i].value - *found[i + 1].value);
        }
        const Color color = found[i].status == "pass"   ? Color::green
                            : found[i].status == "warn" ? Color::yellow
                                                        : Color::red;
        table.add_row({found[i].cells[0],
                       found[i].cells[1],
                       {found[i].cells[2], color},
                       found[i].cells[3],
                       found[i].cells[4],
                       found[i].cells[5]});
    }
    table.render(out, palette);
}

}  // namespace exam
