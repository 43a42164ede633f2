// Hostile input to exam-journal (issue 11): a stray quote in the staff list, escape sequences in
// texts the journal shows, altered and damaged copies of the journal.
#include <fstream>
#include <map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <exam/journal/verify.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>

#include "cli/journal_fixture.hpp"

namespace {

using exam::testing::contains;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

class JournalHostileCli : public exam::testing::JournalSiteTest {
protected:
    std::filesystem::path live() const { return temp / "data" / "journal.sqlite"; }

    void sql(const std::string& statement) const {
        const auto result = exam::run_subprocess({.argv = {"sqlite3", live().string(), statement}});
        ASSERT_EQ(result.exit_code, 0) << result.standard_error;
    }

    // A small journal with every kind of row: a staff list, admissions, an exit, a refusal,
    // an equipment event, several checkpoints.
    void fill() {
        temp.write("staff.csv",
                   "name;role;document\nИванов Пётр;technician;4506 123456\n"
                   "Смирнова Анна;commission;4507 654321\n");
        ASSERT_EQ(journal({"roster", "import", "staff.csv"}).exit_code, 0);
        ASSERT_EQ(
            journal({"enter", "--name", "Иванов Пётр", "--role", "technician"}, "4506 123456\n")
                .exit_code,
            0);
        ASSERT_EQ(
            journal({"enter", "--name", "Смирнова Анна", "--role", "commission"}, "4507 654321\n")
                .exit_code,
            0);
        ASSERT_EQ(journal({"exit", "--name", "Иванов Пётр"}).exit_code, 0);
        ASSERT_EQ(journal({"enter", "--name", "Stranger", "--role", "technician"}, "9999 000000\n")
                      .exit_code,
                  2);
        ASSERT_EQ(journal({"event", "--kind", "other", "--note", "a note"}).exit_code, 0);
    }

    std::filesystem::path backup(const std::string& name) const {
        const auto result = journal({"backup", (temp / name).string()});
        EXPECT_EQ(result.exit_code, 0) << result.standard_error;
        return temp / name;
    }

    exam::SubprocessResult on_copy(const std::filesystem::path& copy,
                                   std::vector<std::string> args) const {
        args.insert(args.begin(), {"--db", copy.string()});
        return exam::testing::run_tool(EXAM_JOURNAL_BIN,
                                       {.args = args, .working_directory = copy.parent_path()});
    }
};

// ---- item 4: the staff list and texts from outside

TEST_F(JournalHostileCli, AStrayQuoteIsKeptLiterallyAndNeverMergesTwoPeople) {
    temp.write("staff.csv",
               "name;role;document\nIvan \"Terrible;head;1111 2222;\n"
               "Petrov\" Pavel;technician;3333 4444;\n");
    const auto import = journal({"roster", "import", "staff.csv"});
    ASSERT_EQ(import.exit_code, 0) << import.standard_error;
    const auto listed = journal({"roster", "list", "--json"});
    const auto people = nlohmann::json::parse(listed.standard_output)["people"];
    ASSERT_EQ(people.size(), 2u) << listed.standard_output;
    EXPECT_EQ(people[0]["name"], "Ivan \"Terrible");
    EXPECT_EQ(people[0]["role"], "head");
    EXPECT_EQ(people[1]["name"], "Petrov\" Pavel");
    EXPECT_EQ(people[1]["role"], "technician");
}

TEST_F(JournalHostileCli, AStaffListWithAnEscapeSequenceInANameIsRefusedWithItsLine) {
    temp.write("staff.csv",
               "name;role;document\nOk Person;head;1111 2222\n"
               "Ivan\x1b[2J\x1b[31mPetrov;technician;3333 4444\n");
    const auto import = journal({"roster", "import", "staff.csv"});
    EXPECT_EQ(import.exit_code, 65) << import.standard_error;
    EXPECT_TRUE(contains(import.standard_error, "staff.csv:3:")) << import.standard_error;
    EXPECT_TRUE(contains(import.standard_error, "\\e[2J")) << import.standard_error;
    EXPECT_FALSE(contains(import.standard_error, "\x1b")) << import.standard_error;
}

TEST_F(JournalHostileCli, EscapeSequencesFromTheJournalNeverReachTheTerminalRaw) {
    fill();
    // Texts that reached the journal some other way (an older examkit, a changed file).
    sql("UPDATE presence SET name = 'Ivan' || char(27) || '[2J' || char(27) || '[31m'");
    ASSERT_EQ(
        journal({"event", "--kind", "other", "--note", std::string{"clear\x1b[2J\xe2\x80\xae"}})
            .exit_code,
        0);
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"inside"}, {"list"}, {"roster", "list"}}) {
        const auto result = journal(command);
        EXPECT_EQ(result.exit_code, 0) << command[0] << ": " << result.standard_error;
        EXPECT_FALSE(contains(result.standard_output, "\x1b")) << command[0];
        EXPECT_FALSE(contains(result.standard_output, "\xe2\x80\xae")) << command[0];
    }
    EXPECT_TRUE(contains(journal({"inside"}).standard_output, "Ivan\\e[2J\\e[31m"));
    // JSON stays exact: it escapes controls itself.
    const auto json = journal({"inside", "--json"});
    EXPECT_EQ(nlohmann::json::parse(json.standard_output)["people"][0]["name"],
              "Ivan\x1b[2J\x1b[31m");
}

TEST_F(JournalHostileCli, EnterRefusesANameWithControlCharactersAndPrintsItEscaped) {
    const auto result = journal({"enter", "--name", "Ivan\x1b[2J", "--role", "technician",
                                 "--admit-anyway", "--reason", "test"},
                                "4506 123456\n");
    EXPECT_EQ(result.exit_code, 65) << result.standard_error;
    EXPECT_FALSE(contains(result.standard_error + result.standard_output, "\x1b"));
    EXPECT_TRUE(contains(result.standard_error, "Ivan\\e[2J")) << result.standard_error;
}

// ---- item 6: damaged copies are storage errors (74) that say what to do

TEST_F(JournalHostileCli, TruncatedOrZeroedCopiesAreDamagedFilesNotInternalErrors) {
    fill();
    const std::string original = read_file(backup("original.sqlite"));
    ASSERT_GT(original.size(), 8192u);
    const std::map<std::string, std::string> damaged{
        {"truncated", original.substr(0, original.size() / 2)},
        {"truncated-to-one-page", original.substr(0, 4096)},
        {"zeroed", std::string(original.size(), '\0')},
        {"half-zeroed", original.substr(0, original.size() / 2) +
                            std::string(original.size() - original.size() / 2, '\0')},
        {"zeroed-after-the-header",
         original.substr(0, 100) + std::string(original.size() - 100, '\0')},
    };
    const std::vector<std::vector<std::string>> commands{
        {"verify"},         {"list"},          {"inside"},
        {"roster", "list"}, {"checkpoint"},    {"export", "--format", "csv"},
        {"prove", "0"},     {"list", "--json"}};
    for (const auto& [how, bytes] : damaged) {
        const auto copy = temp / (how + ".sqlite");
        write_file(copy, bytes);
        for (const auto& command : commands) {
            const auto result = on_copy(copy, command);
            const std::string what = how + " copy, " + command[0];
            // verify reads every page; the other commands only those they need, so a damage
            // elsewhere (zeros past the pages a listing reads) lets them answer.
            if (result.exit_code == 0 && command[0] != "verify" && how == "half-zeroed") {
                continue;
            }
            EXPECT_EQ(result.exit_code, 74) << what << ": " << result.standard_error;
            EXPECT_FALSE(contains(result.standard_error, "internal error")) << what;
            EXPECT_TRUE(contains(result.standard_error, "damaged") &&
                        contains(result.standard_error, "backup"))
                << what << ": " << result.standard_error;
        }
    }
}

// ---- item 5: verify vouches only for what it checked

// Everything a changed copy may differ in without verify noticing: what verify reports as not
// checked (the staff list, the checkpoints' times, the creation time), and bytes SQLite never
// reads (free space in pages), which do not show in this dump at all.
std::string logical_dump(const std::filesystem::path& file) {
    SQLite::Database database(file.string(), SQLite::OPEN_READONLY);
    std::string dump;
    const auto add_rows = [&](const std::string& query) {
        SQLite::Statement rows(database, query);
        while (rows.executeStep()) {
            for (int i = 0; i < rows.getColumnCount(); ++i) {
                const SQLite::Column column = rows.getColumn(i);
                dump += column.isNull()   ? std::string{"NULL"}
                        : column.isBlob() ? exam::base64_encode(std::span{
                                                static_cast<const std::uint8_t*>(column.getBlob()),
                                                static_cast<std::size_t>(column.getBytes())})
                                          : column.getString();
                dump += '|';
            }
            dump += '\n';
        }
    };
    add_rows("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name");
    add_rows(
        "SELECT key, CASE key WHEN 'created_at' THEN '' ELSE value END FROM meta NOT INDEXED "
        "ORDER BY key");
    add_rows("SELECT * FROM entry NOT INDEXED ORDER BY seq");
    add_rows("SELECT tree_size, root_hash, note FROM checkpoint NOT INDEXED ORDER BY tree_size");
    add_rows("SELECT * FROM tree_state");
    add_rows("SELECT * FROM presence NOT INDEXED ORDER BY doc_hmac");
    return dump;
}

struct FlipOutcome {
    bool passed = false;
    std::string why;
};

FlipOutcome verify_in_process(const std::filesystem::path& copy, const exam::VerifierKey& key,
                              const std::string& checkpoint) {
    try {
        exam::Journal journal = exam::Journal::open_read_only(copy);
        const exam::VerifyReport report =
            exam::verify_journal(journal, {.public_key = key, .external_checkpoint = checkpoint});
        return {report.ok, report.problem};
    } catch (const exam::Error& e) {
        return {false, e.what()};
    } catch (const SQLite::Exception& e) {
        return {false, e.what()};  // exam-journal makes it the damaged-file StorageError (74)
    }
}

TEST_F(JournalHostileCli, NoSingleBitFlipOfACopyPassesVerifyUnlessWhatItVouchesForIsUnchanged) {
    fill();
    const auto original_path = backup("original.sqlite");
    const std::string original = read_file(original_path);
    const std::string checkpoint = journal({"checkpoint"}).standard_output;
    const auto key = exam::Journal::open_read_only(original_path).stored_public_key();
    ASSERT_TRUE(key);
    ASSERT_TRUE(verify_in_process(original_path, *key, checkpoint).passed);
    const std::string expected = logical_dump(original_path);

    // Every byte SQLite reads of the small tables (meta, checkpoints, tree state, who is inside,
    // the schema on page 1) and every 13th byte elsewhere; one bit each, a different one each
    // time.
    std::vector<bool> dense(original.size() / 4096, false);
    // On those pages, the bytes SQLite reads: the page header with its cell pointers, and the
    // cells from the start of the content area (file format 1.6) to the page's end.
    const auto big_endian16 = [&original](std::size_t at) {
        return static_cast<std::size_t>(static_cast<unsigned char>(original[at])) << 8 |
               static_cast<unsigned char>(original[at + 1]);
    };
    const auto is_read = [&](std::size_t offset) {
        const std::size_t page_start = offset / 4096 * 4096;
        const std::size_t header = page_start + (page_start == 0 ? 100 : 0);
        const std::size_t pointers_end = header + 12 + 2 * big_endian16(header + 3);
        const std::size_t content = big_endian16(header + 5);
        return offset < pointers_end || offset - page_start >= (content == 0 ? 65536 : content);
    };
    {
        SQLite::Database database(original_path.string(), SQLite::OPEN_READONLY);
        SQLite::Statement pages(database,
                                "SELECT rootpage FROM sqlite_schema WHERE tbl_name IN "
                                "('meta', 'checkpoint', 'tree_state', 'presence')");
        dense[0] = true;
        while (pages.executeStep()) {
            const auto page = static_cast<std::size_t>(pages.getColumn(0).getInt64());
            if (page >= 1 && page <= dense.size()) {
                dense[page - 1] = true;
            }
        }
    }
    const auto copy = temp / "flipped.sqlite";
    std::size_t runs = 0;
    std::size_t refused = 0;
    for (std::size_t offset = 0; offset < original.size(); ++offset) {
        if (dense[offset / 4096] ? !is_read(offset) : offset % 13 != 0) {
            continue;
        }
        std::string bytes = original;
        bytes[offset] = static_cast<char>(bytes[offset] ^ (1 << ((offset * 5) % 8)));
        write_file(copy, bytes);
        ++runs;
        const FlipOutcome outcome = verify_in_process(copy, *key, checkpoint);
        if (!outcome.passed) {
            ++refused;
            continue;
        }
        std::string found;
        try {
            found = logical_dump(copy);
        } catch (const std::exception& e) {
            found = e.what();
        }
        if (found != expected) {
            std::size_t first = 0;
            while (first < found.size() && first < expected.size() &&
                   found[first] == expected[first]) {
                ++first;
            }
            const std::size_t line = expected.rfind('\n', first) + 1;
            ADD_FAILURE() << "verify passed a copy with byte " << offset << " changed (page "
                          << offset / 4096 + 1 << "): expected\n"
                          << expected.substr(line, 160) << "\nfound\n"
                          << found.substr(line, 160);
            break;  // one is enough to show the defect
        }
    }
    EXPECT_GT(runs, 2000u);
    EXPECT_GT(refused, runs / 20);
}

TEST_F(JournalHostileCli, VerifyRefusesACheckpointTimeOrMetaKeyChangedInTheFile) {
    fill();
    const auto original_path = backup("original.sqlite");
    const std::string original = read_file(original_path);
    const std::string checkpoint_text = journal({"checkpoint"}).standard_output;
    write_file(temp / "kept.checkpoint", checkpoint_text);
    const auto key = exam::Journal::open_read_only(original_path).stored_public_key();
    ASSERT_TRUE(key);
    // The defects the probe found: "2026" made "2226" in signed_at, a byte of it made invalid
    // UTF-8, and the meta key "region" renamed "regign" in the table (its index untouched).
    std::vector<std::pair<std::string, std::string>> edits;
    {
        SQLite::Database database(original_path.string(), SQLite::OPEN_READONLY);
        SQLite::Statement times(database, "SELECT signed_at FROM checkpoint");
        while (times.executeStep()) {
            const std::string time = times.getColumn(0).getString();
            edits.emplace_back(time, "22" + time.substr(2));
            edits.emplace_back(time, time.substr(0, 5) + "\xff" + time.substr(6));
        }
    }
    edits.emplace_back("region", "regign");
    std::size_t tried = 0;
    for (const auto& [from, to] : edits) {
        // Each place the text appears in the file, changed alone.
        for (std::size_t at = original.find(from); at != std::string::npos;
             at = original.find(from, at + 1)) {
            std::string bytes = original;
            bytes.replace(at, from.size(), to);
            const auto copy = temp / "edited.sqlite";
            write_file(copy, bytes);
            const auto result =
                on_copy(copy, {"verify", "--public-key", key->to_text(), "--checkpoint",
                               (temp / "kept.checkpoint").string()});
            ++tried;
            if (result.exit_code == 0) {
                // Allowed only where SQLite never reads the bytes.
                EXPECT_EQ(logical_dump(copy), logical_dump(original_path))
                    << "verify passed \"" << from << "\" changed at byte " << at << ":\n"
                    << result.standard_output;
            } else {
                EXPECT_TRUE(result.exit_code == 2 || result.exit_code == 74)
                    << result.exit_code << ": " << result.standard_error;
                EXPECT_FALSE(contains(result.standard_error, "internal error"));
            }
        }
    }
    EXPECT_GE(tried, 6u);
}

TEST_F(JournalHostileCli, VerifySaysWhatItCouldNotCheck) {
    fill();
    const auto result = journal({"verify", "--json"});
    ASSERT_EQ(result.exit_code, 0) << result.standard_output << result.standard_error;
    const auto json = nlohmann::json::parse(result.standard_output);
    ASSERT_EQ(json["unchecked"].size(), 3u) << result.standard_output;
    EXPECT_TRUE(contains(journal({"verify"}).standard_output, "not checked: the staff list"));
}

}  // namespace
