// The journal's speed, measured against plain SQLite doing the same writes in the same run.
// Not a test: it prints figures and ratios for docs/PERFORMANCE.md and never fails on speed.
//
//   build/ci/tests/bench/exam-journal-bench [--appends N] [--entries M] [--folder DIR]
//
// 1. N durable appends, one transaction each (the journal: leaf, tree, signed checkpoints
//    at most once a second) against N plain INSERTs, one transaction each, with the same
//    WAL + synchronous=FULL settings.
// 2. M entries built in batched transactions through the same leaf code, against M plain
//    INSERTs of the same rows in the same batches.
// 3. `verify` of the M-entry journal, and `inside` on it.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <unistd.h>

#include <exam/core/site_loader.hpp>
#include <exam/journal/admission.hpp>
#include <exam/journal/journal.hpp>
#include <exam/journal/verify.hpp>
#include <exam/util/sqlite.hpp>

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

exam::JournalEntry sample_entry(std::uint64_t i) {
    exam::JournalEntry entry;
    entry.kind = i % 2 == 0 ? exam::EntryKind::enter : exam::EntryKind::exit;
    entry.exam = "2026-06-01-math";
    entry.name = fmt::format("Участник Номер {}", i / 2);
    entry.role = "participant";
    // Entry 2k admits a person and 2k+1 lets the same person out, as the desk would: the
    // journal's list of who is inside (which verify replays) stays what the entries say.
    entry.doc_hmac = fmt::format("{:064x}", (i / 2) * 2654435761u);
    entry.doc_tail = fmt::format("{:04}", i % 10000);
    entry.actor = "bench";
    return entry;
}

constexpr std::array k_plain_schema{exam::Migration{1, R"sql(
CREATE TABLE entry (seq INTEGER PRIMARY KEY, time TEXT, kind TEXT, region TEXT, ppe TEXT, exam TEXT,
    name TEXT, role TEXT, doc_hmac TEXT, doc_tail TEXT, actor TEXT);)sql"}};

void plain_insert(SQLite::Statement& insert, std::uint64_t i, const exam::JournalEntry& entry) {
    insert.bind(1, static_cast<std::int64_t>(i));
    insert.bind(2, exam::format_utc(exam::now()));
    insert.bind(3, std::string{exam::to_string(entry.kind)});
    insert.bind(4, "01");
    insert.bind(5, "0042");
    insert.bind(6, *entry.exam);
    insert.bind(7, *entry.name);
    insert.bind(8, *entry.role);
    insert.bind(9, *entry.doc_hmac);
    insert.bind(10, *entry.doc_tail);
    insert.bind(11, *entry.actor);
    insert.exec();
    insert.reset();
}

exam::Site make_site(const fs::path& folder, const std::string& name) {
    fs::create_directories(folder / name);
    return exam::parse_site(
        "ppe_code = \"0042\"\nregion = \"01\"\nname = \"bench\"\ntimezone = \"Europe/Moscow\"\n"
        "[journal]\nroster_exempt_roles = [\"participant\"]\n",
        folder / name / "site.toml");
}

// The best of a few runs: this machine is a shared virtual one, and the minimum is the figure
// least disturbed by neighbours.
template <typename Work>
double best_of(int runs, Work&& work) {
    double best = 1e300;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        work();
        best = std::min(best, seconds_since(start));
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t appends = 10000;
    std::uint64_t entries = 1000000;
    fs::path folder = fs::temp_directory_path() / fmt::format("examkit-bench-{}", ::getpid());
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--appends")
            appends = std::stoull(argv[i + 1]);
        else if (flag == "--entries")
            entries = std::stoull(argv[i + 1]);
        else if (flag == "--folder")
            folder = argv[i + 1];
    }
    fs::create_directories(folder);
    fmt::print("examkit journal benchmark: {} durable appends, {} entries, in {}\n\n", appends,
               entries, folder.string());

    // 1. Durable appends, one transaction each.
    const exam::Site small = make_site(folder, "durable");
    exam::Journal::initialize(small);
    double journal_appends = 0;
    {
        exam::Journal journal = exam::Journal::open(small);
        const auto start = Clock::now();
        for (std::uint64_t i = 0; i < appends; ++i) {
            journal.append(sample_entry(i));
        }
        journal.close();
        journal_appends = seconds_since(start);
    }
    double plain_appends = 0;
    {
        auto db = exam::open_database(folder / "durable" / "plain.sqlite",
                                      {.migrations = k_plain_schema});
        SQLite::Statement insert(db, "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        const auto start = Clock::now();
        for (std::uint64_t i = 0; i < appends; ++i) {
            SQLite::Transaction transaction(db);
            plain_insert(insert, i, sample_entry(i));
            transaction.commit();
        }
        plain_appends = seconds_since(start);
    }
    fmt::print(
        "durable appends        journal {:8.0f}/s   plain SQLite {:8.0f}/s   journal/plain time "
        "{:.2f}x\n",
        static_cast<double>(appends) / journal_appends,
        static_cast<double>(appends) / plain_appends, journal_appends / plain_appends);

    // 2. A big journal in batched transactions through the same leaf code.
    constexpr std::uint64_t k_batch = 10000;
    const exam::Site big = make_site(folder, "big");
    exam::Journal::initialize(big);
    double journal_build = 0;
    {
        exam::Journal journal = exam::Journal::open(big);
        const auto start = Clock::now();
        for (std::uint64_t done = 0; done < entries; done += k_batch) {
            std::vector<exam::JournalEntry> batch;
            for (std::uint64_t i = done; i < std::min(entries, done + k_batch); ++i) {
                batch.push_back(sample_entry(i));
            }
            journal.append_batch(std::move(batch));
        }
        journal_build = seconds_since(start);
    }
    double plain_build = 0;
    {
        auto db =
            exam::open_database(folder / "big" / "plain.sqlite", {.migrations = k_plain_schema});
        SQLite::Statement insert(db, "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        const auto start = Clock::now();
        for (std::uint64_t done = 0; done < entries; done += k_batch) {
            SQLite::Transaction transaction(db);
            for (std::uint64_t i = done; i < std::min(entries, done + k_batch); ++i) {
                plain_insert(insert, i, sample_entry(i));
            }
            transaction.commit();
        }
        plain_build = seconds_since(start);
    }
    fmt::print(
        "batched build          journal {:8.2f} s    plain SQLite {:8.2f} s    journal/plain time "
        "{:.2f}x\n",
        journal_build, plain_build, journal_build / plain_build);

    // 3. Reading it back: the whole audit, and who is inside (300 people admitted on top).
    constexpr int k_people_inside = 300;
    {
        exam::Journal journal = exam::Journal::open(big);
        for (int i = 0; i < k_people_inside; ++i) {
            exam::admit(journal, big,
                        exam::AdmissionRequest{.name = fmt::format("Участник {}", i),
                                               .role = "participant",
                                               .document = fmt::format("AB{:08}", i)});
        }
        journal.close();
    }
    {
        exam::Journal journal = exam::Journal::open_read_only(big.paths.journal);
        exam::VerifyReport report;
        const double verify = best_of(3, [&] { report = exam::verify_journal(journal, {}); });
        auto db = exam::open_database(
            folder / "big" / "plain.sqlite",
            {.access = exam::DatabaseAccess::read_only, .migrations = k_plain_schema});
        std::uint64_t bytes = 0;
        const double plain_scan = best_of(3, [&] {
            SQLite::Statement scan(db, "SELECT * FROM entry ORDER BY seq");
            while (scan.executeStep()) {
                for (int column = 0; column < scan.getColumnCount(); ++column) {
                    bytes += static_cast<std::uint64_t>(scan.getColumn(column).getBytes());
                }
            }
        });
        fmt::print(
            "verify {} entries  journal {:8.2f} s    plain SQLite full scan {:.2f} s   ratio "
            "{:.1f}x   ({})\n",
            report.entries, verify, plain_scan, verify / plain_scan,
            report.ok ? "verified" : report.problem);
        std::size_t count = 0;
        const double inside = best_of(5, [&] { count = exam::people_inside(journal).size(); });
        fmt::print("inside                 journal {:8.2f} ms   ({} people inside, {} entries)\n",
                   inside * 1000, count, report.entries);
        if (bytes == 0) {
            return 1;
        }
    }
    std::error_code ignored;
    fs::remove_all(folder, ignored);
    return 0;
}
