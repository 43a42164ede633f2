// exam-journal driven as the entrance staff and auditors would, against real SQLite files.
#include <csignal>
#include <fstream>
#include <regex>
#include <thread>

#include <grp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <exam/journal/merkle.hpp>
#include <exam/util/base64.hpp>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::run_tool;
using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class JournalCli : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        // No exam today, so roster rows without an exam are the ones that count.
        temp.write("site.toml", R"(ppe_code = "0042"
region = "01"
name = "Test school"
timezone = "Europe/Moscow"

[journal]
roster_exempt_roles = ["police"]

[[room]]
id = "0101"
  [[room.camera]]
  id = "0101-front"
  uri = "rtsp://127.0.0.1/a"
)");
        temp.write("roster.csv",
                   "\xEF\xBB\xBF"
                   "ФИО;Роль;Документ\n"
                   "Иванов Пётр Сергеевич;technician;45 06 123456\n"
                   "\"Смирнова, Анна\";commission;4507 654321\n");
        const auto init = journal({"init"});
        ASSERT_EQ(init.exit_code, 0) << init.standard_error;
        public_key = init.standard_output.substr(0, init.standard_output.find('\n'));
        ASSERT_EQ(journal({"roster", "import", "roster.csv"}).exit_code, 0);
    }

    exam::SubprocessResult journal(std::vector<std::string> args, std::string input = {}) const {
        return run_tool(EXAM_JOURNAL_BIN,
                        {.args = std::move(args),
                         .working_directory = temp.path(),
                         .environment = {{"EXAM_SITE", (temp / "site.toml").string()},
                                         {"EXAM_ACTOR", "Tester"}},
                         .standard_input = std::move(input)});
    }

    // Runs SQL on the journal with the sqlite3 shell, as a person with the file would. The
    // shell waits for a lock rather than failing at once: a writer killed a moment ago holds its
    // locks until the kernel has finished tearing the process down (long under ASan), and the
    // first reader after it recovers the write-ahead log.
    exam::SubprocessResult run_sql(const std::string& sql) const {
        return exam::run_subprocess({.argv = {"sqlite3", "-cmd", ".timeout 20000",
                                              (temp / "data" / "journal.sqlite").string(), sql},
                                     .timeout = 60s});
    }

    void tamper(const std::string& sql) const {
        const auto result = run_sql(sql);
        ASSERT_EQ(result.exit_code, 0) << result.standard_error;
    }

    int entry_count() const {
        const auto result = run_sql("SELECT count(*) FROM entry");
        EXPECT_EQ(result.exit_code, 0) << result.standard_error;
        return result.exit_code == 0 && !result.standard_output.empty()
                   ? std::stoi(result.standard_output)
                   : -1;
    }

    void admit_ivanov() const {
        const auto result = journal(
            {"enter", "--name", "иванов петр сергеевич", "--role", "technician"}, "4506123456\n");
        ASSERT_EQ(result.exit_code, 0) << result.standard_error << result.standard_output;
    }

    std::string public_key;
};

const std::string k_drop_guards =
    "DROP TRIGGER IF EXISTS entry_no_update; DROP TRIGGER IF EXISTS entry_no_delete; DROP TRIGGER "
    "IF EXISTS checkpoint_no_update; "
    "DROP TRIGGER IF EXISTS checkpoint_no_delete;";

}  // namespace

// The operators (the control group) read the keys and write the journal; others get nothing
// (docs/SECURITY.md, "Who may write the journal").
TEST_F(JournalCli, InitCreatesKeysWithRestrictiveModesAndRefusesToRunTwice) {
    using std::filesystem::perms;
    EXPECT_EQ(public_key.rfind("examkit/ppe/01/0042+", 0), 0u) << public_key;
    const auto mode = [&](const std::filesystem::path& path) {
        return std::filesystem::status(temp.path() / path).permissions() &
               (perms::all | perms::set_gid);
    };
    EXPECT_EQ(mode("keys"), perms::owner_all | perms::group_read | perms::group_exec);
    for (const char* key : {"keys/journal-signing.key", "keys/document-secret.key"}) {
        EXPECT_EQ(mode(key), perms::owner_read | perms::owner_write | perms::group_read) << key;
    }
    EXPECT_EQ(mode("data/journal.sqlite"),
              perms::owner_read | perms::owner_write | perms::group_read | perms::group_write);
    EXPECT_EQ(mode("data"), perms::owner_all | perms::group_all | perms::set_gid);
    const auto again = journal({"init"});
    EXPECT_EQ(again.exit_code, 74);
    EXPECT_TRUE(contains(again.standard_error, "already exists")) << again.standard_error;
}

// On an installed exam point the control group is "examkit"; any group will do to see that the
// keys, the journal and its folder are given to it (the tests run as root, who may).
TEST(JournalInit, GivesTheKeysAndTheJournalToTheSitesControlGroup) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "giving files to another group needs root, as CI is";
    }
    exam::testing::TempDir temp;
    temp.write("site.toml",
               "ppe_code = \"0042\"\nregion = \"01\"\nname = \"School\"\n"
               "timezone = \"Europe/Moscow\"\n[service]\ncontrol_group = \"nogroup\"\n");
    const auto init = run_tool(EXAM_JOURNAL_BIN, {.args = {"--site", "site.toml", "init"},
                                                  .working_directory = temp.path()});
    ASSERT_EQ(init.exit_code, 0) << init.standard_error;
    const group* operators = ::getgrnam("nogroup");
    ASSERT_NE(operators, nullptr);
    for (const char* path : {"keys", "keys/journal-signing.key", "keys/document-secret.key", "data",
                             "data/journal.sqlite"}) {
        struct stat status {};
        ASSERT_EQ(::stat((temp / path).c_str(), &status), 0) << path;
        EXPECT_EQ(status.st_gid, operators->gr_gid) << path;
    }
}

TEST_F(JournalCli, AdmitsAPersonOnTheRosterUnderTheRostersSpelling) {
    const auto result = journal(
        {"enter", "--name", "  ИВАНОВ петр   сергеевич", "--role", "technician"}, "45-06-123456\n");
    EXPECT_EQ(result.exit_code, 0) << result.standard_error;
    EXPECT_TRUE(contains(result.standard_output, "ADMITTED: Иванов Пётр Сергеевич"))
        << result.standard_output;
    const auto inside = journal({"inside", "--json"});
    const auto json = nlohmann::json::parse(inside.standard_output);
    EXPECT_EQ(json["count"], 1);
    EXPECT_EQ(json["people"][0]["name"], "Иванов Пётр Сергеевич");
}

TEST_F(JournalCli, RefusesSomeoneNotOnTheRosterRecordsItAndExits2) {
    const auto result =
        journal({"enter", "--name", "Чужой Человек", "--role", "technician"}, "1111 222333\n");
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_TRUE(contains(result.standard_output, "REFUSED")) << result.standard_output;
    const auto list =
        nlohmann::json::parse(journal({"list", "--json", "--kind", "denied"}).standard_output);
    ASSERT_EQ(list["entries"].size(), 1u);
    EXPECT_EQ(list["entries"][0]["name"], "Чужой Человек");
    EXPECT_EQ(list["entries"][0]["doc_tail"], "2333");
    EXPECT_EQ(journal({"inside", "--json"}).standard_output.find("Чужой"), std::string::npos);
}

TEST_F(JournalCli, WrongRoleIsRefusedWithTheReason) {
    const auto result =
        journal({"enter", "--name", "Иванов Пётр Сергеевич", "--role", "head"}, "4506123456\n");
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_TRUE(contains(result.standard_output, "as technician, not head"))
        << result.standard_output;
}

TEST_F(JournalCli, OverrideAdmitsAndRecordsTheReason) {
    const auto result = journal({"enter", "--name", "Чужой Человек", "--role", "technician",
                                 "--admit-anyway", "--reason", "replacement approved by the head"},
                                "1111222333\n");
    EXPECT_EQ(result.exit_code, 0) << result.standard_error;
    const auto list =
        nlohmann::json::parse(journal({"list", "--json", "--kind", "enter"}).standard_output);
    ASSERT_EQ(list["entries"].size(), 1u);
    EXPECT_TRUE(contains(list["entries"][0]["reason"], "replacement approved by the head"));
}

TEST_F(JournalCli, ExemptRoleIsAdmittedWithoutTheRoster) {
    const auto result =
        journal({"enter", "--name", "Сержант Петров", "--role", "police"}, "ПС 998877\n");
    EXPECT_EQ(result.exit_code, 0) << result.standard_error << result.standard_output;
}

TEST_F(JournalCli, DocumentNumberIsNeverAnArgumentNorStored) {
    EXPECT_EQ(journal({"enter", "--name", "Иванов Пётр Сергеевич", "--role", "technician",
                       "--document", "4506123456"})
                  .exit_code,
              64);
    admit_ivanov();
    for (const auto& entry : std::filesystem::directory_iterator(temp / "data")) {
        EXPECT_FALSE(contains(exam::testing::read_file(entry.path()), "4506123456"))
            << entry.path();
        EXPECT_FALSE(contains(exam::testing::read_file(entry.path()), "123456")) << entry.path();
    }
}

TEST_F(JournalCli, MissingDocumentIsBadInput) {
    const auto result =
        journal({"enter", "--name", "Иванов Пётр Сергеевич", "--role", "technician"}, "");
    EXPECT_EQ(result.exit_code, 65);
    EXPECT_TRUE(contains(result.standard_error, "no document number")) << result.standard_error;
}

TEST_F(JournalCli, LeavingTwiceIsAClearError) {
    admit_ivanov();
    EXPECT_EQ(journal({"exit", "--name", "Иванов Пётр Сергеевич"}).exit_code, 0);
    const auto again = journal({"exit", "--name", "Иванов Пётр Сергеевич"});
    EXPECT_EQ(again.exit_code, 65);
    EXPECT_TRUE(contains(again.standard_error, "is inside")) << again.standard_error;
}

TEST_F(JournalCli, LeavingWithoutEnteringIsAClearError) {
    const auto by_name = journal({"exit", "--name", "Смирнова, Анна"});
    EXPECT_EQ(by_name.exit_code, 65);
    EXPECT_TRUE(contains(by_name.standard_error, "never entered")) << by_name.standard_error;
    const auto by_entry = journal({"exit", "--entry", "0"});
    EXPECT_EQ(by_entry.exit_code, 65);
    EXPECT_TRUE(contains(by_entry.standard_error, "entry 0")) << by_entry.standard_error;
}

TEST_F(JournalCli, EnteringTwiceIsAClearError) {
    admit_ivanov();
    const auto again = journal({"enter", "--name", "Иванов Пётр Сергеевич", "--role", "technician"},
                               "4506123456\n");
    EXPECT_EQ(again.exit_code, 65);
    EXPECT_TRUE(contains(again.standard_error, "inside already")) << again.standard_error;
}

TEST_F(JournalCli, RosterWithABadRowNamesItsLineAndImportsNothing) {
    temp.write(
        "bad.csv",
        "name,role,document\nНовый Человек,technician,1234 567890\nВторой,wizard,1234 000000\n");
    const auto result = journal({"roster", "import", "bad.csv"});
    EXPECT_EQ(result.exit_code, 65);
    EXPECT_TRUE(contains(result.standard_error, "bad.csv:3: unknown role \"wizard\""))
        << result.standard_error;
    EXPECT_TRUE(contains(result.standard_error, "nothing was imported")) << result.standard_error;
    // The earlier roster still holds; the first good row of the bad file did not arrive.
    EXPECT_EQ(journal({"enter", "--name", "Новый Человек", "--role", "technician"}, "1234567890\n")
                  .exit_code,
              2);
    admit_ivanov();
}

TEST_F(JournalCli, AMisspeltRoleSuggestsTheRightOne) {
    const auto enter = journal({"enter", "--name", "Иванов Пётр Сергеевич", "--role", "tehcnician"},
                               "4506123456\n");
    EXPECT_EQ(enter.exit_code, 64);
    EXPECT_TRUE(
        contains(enter.standard_error, "unknown role \"tehcnician\"; did you mean \"technician\"?"))
        << enter.standard_error;
    const auto list = journal({"list", "--role", "tehcnician"});
    EXPECT_EQ(list.exit_code, 64);
    EXPECT_TRUE(contains(list.standard_error, "did you mean \"technician\"?"))
        << list.standard_error;
    temp.write("typo.csv", "name,role,document\nНовый Человек,comission,1234 567890\n");
    const auto import = journal({"roster", "import", "typo.csv"});
    EXPECT_EQ(import.exit_code, 65);
    EXPECT_TRUE(contains(import.standard_error,
                         "typo.csv:2: unknown role \"comission\"; did you mean \"commission\"?"))
        << import.standard_error;
}

TEST_F(JournalCli, AFileThatCannotBeReadSaysWhyAndWhatToDo) {
    const auto import = journal({"roster", "import", "staff.csv"});
    EXPECT_EQ(import.exit_code, 65);
    EXPECT_TRUE(contains(import.standard_error,
                         "cannot read the staff list \"staff.csv\": No such file or directory; "
                         "check the path"))
        << import.standard_error;
    std::filesystem::create_directory(temp / "checkpoint.txt");
    const auto verify = journal({"verify", "--checkpoint", "checkpoint.txt"});
    EXPECT_EQ(verify.exit_code, 65);
    EXPECT_TRUE(contains(verify.standard_error,
                         "cannot read the checkpoint \"checkpoint.txt\": Is a directory; that is "
                         "a folder: name the file inside it"))
        << verify.standard_error;
}

TEST_F(JournalCli, RosterWithoutADocumentColumnIsRefused) {
    temp.write("bad.csv", "name;role\nA;technician\n");
    const auto result = journal({"roster", "import", "bad.csv"});
    EXPECT_EQ(result.exit_code, 65);
    EXPECT_TRUE(
        contains(result.standard_error, "bad.csv:1: the header row has no \"document\" column"))
        << result.standard_error;
}

TEST_F(JournalCli, VerifyPassesOnAnHonestJournalWithThePrintedKey) {
    admit_ivanov();
    const auto result = journal({"verify", "--public-key", public_key});
    EXPECT_EQ(result.exit_code, 0) << result.standard_output << result.standard_error;
    EXPECT_TRUE(contains(result.standard_output, "journal verified: 2 entries"))
        << result.standard_output;
}

TEST_F(JournalCli, VerifyCatchesAnEditedField) {
    admit_ivanov();
    tamper(k_drop_guards + "UPDATE entry SET name = 'Другой' WHERE seq = 1;");
    const auto result = journal({"verify", "--json"});
    EXPECT_EQ(result.exit_code, 2);
    const auto json = nlohmann::json::parse(result.standard_output);
    EXPECT_EQ(json["failed_entry"], 1);
    EXPECT_TRUE(contains(json["problem"], "entry 1 was altered"));
}

TEST_F(JournalCli, VerifyCatchesAnEditWithTheLeafHashRecomputedToo) {
    admit_ivanov();
    journal({"event", "--kind", "operability-check", "--room", "0101"});
    // The editor even rewrites the stored hash to match; the signed checkpoints still catch it.
    tamper(k_drop_guards + "UPDATE entry SET room = '0999' WHERE seq = 2;");
    const auto leaf = journal({"export", "--format", "jsonl"}).standard_output;
    std::string line =
        leaf.substr(leaf.find("{\"actor\":\"Tester\",\"kind\":\"operability-check\""));
    line = line.substr(0, line.find('\n'));
    const std::string hex = exam::to_hex(exam::merkle::leaf_hash(line));
    tamper(k_drop_guards + "UPDATE entry SET leaf_hash = x'" + hex + "' WHERE seq = 2;");
    const auto result = journal({"verify", "--json"});
    EXPECT_EQ(result.exit_code, 2) << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "does not match the entries"))
        << result.standard_output;
}

TEST_F(JournalCli, VerifyCatchesADeletedEntry) {
    admit_ivanov();
    journal({"event", "--kind", "operability-check"});
    tamper(k_drop_guards + "DELETE FROM entry WHERE seq = 1;");
    const auto json = nlohmann::json::parse(journal({"verify", "--json"}).standard_output);
    EXPECT_EQ(json["ok"], false);
    EXPECT_EQ(json["failed_entry"], 1);
    EXPECT_TRUE(contains(json["problem"], "entry 1 is missing"));
}

TEST_F(JournalCli, VerifyCatchesReorderedEntries) {
    admit_ivanov();
    journal({"event", "--kind", "operability-check"});
    tamper(k_drop_guards +
           "UPDATE entry SET seq = -1 WHERE seq = 1; UPDATE entry SET seq = 1 WHERE seq = 2; "
           "UPDATE entry SET seq = 2 WHERE seq = -1;");
    const auto result = journal({"verify", "--json"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(nlohmann::json::parse(result.standard_output)["failed_entry"], 1);
}

TEST_F(JournalCli, VerifyCatchesACutTailThroughAnOutsideCheckpoint) {
    admit_ivanov();
    journal({"event", "--kind", "operability-check"});
    temp.write("kept.checkpoint", journal({"checkpoint"}).standard_output);
    // The tail is cut with its checkpoints and the tree state rewound: the journal is
    // self-consistent again, and only the checkpoint kept outside can tell.
    // (The guards are put back as examkit writes them: verify compares the schema too.)
    tamper(
        k_drop_guards +
        "DELETE FROM entry WHERE seq >= 2; DELETE FROM checkpoint WHERE tree_size > 2; "
        "UPDATE tree_state SET size = 2, "
        "peaks = (SELECT root_hash FROM checkpoint WHERE tree_size = 2);"
        "CREATE TRIGGER entry_no_update BEFORE UPDATE ON entry\n"
        "BEGIN SELECT RAISE(ABORT, 'the journal is append-only: entries cannot be changed'); END;"
        "CREATE TRIGGER entry_no_delete BEFORE DELETE ON entry\n"
        "BEGIN SELECT RAISE(ABORT, 'the journal is append-only: entries cannot be deleted'); END;"
        "CREATE TRIGGER checkpoint_no_update BEFORE UPDATE ON checkpoint\n"
        "BEGIN SELECT RAISE(ABORT, 'checkpoints cannot be changed'); END;"
        "CREATE TRIGGER checkpoint_no_delete BEFORE DELETE ON checkpoint\n"
        "BEGIN SELECT RAISE(ABORT, 'checkpoints cannot be deleted'); END;");
    EXPECT_EQ(journal({"verify"}).exit_code, 0);
    const auto result =
        journal({"verify", "--checkpoint", "kept.checkpoint", "--public-key", public_key});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_TRUE(contains(result.standard_output, "the journal was cut")) << result.standard_output;
}

TEST_F(JournalCli, VerifyAcceptsAnOutsideCheckpointTheJournalExtends) {
    admit_ivanov();
    temp.write("kept.checkpoint", journal({"checkpoint"}).standard_output);
    journal({"event", "--kind", "operability-check"});
    const auto result =
        journal({"verify", "--checkpoint", "kept.checkpoint", "--public-key", public_key});
    EXPECT_EQ(result.exit_code, 0) << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "consistency proof")) << result.standard_output;
}

TEST_F(JournalCli, VerifyCatchesAReplacedTreeSignedWithAnotherKey) {
    admit_ivanov();
    // Someone builds a whole new journal and keys for the same exam point and swaps it in.
    exam::testing::TempDir other;
    std::filesystem::copy_file(temp / "site.toml", other / "site.toml");
    run_tool(EXAM_JOURNAL_BIN, {.args = {"init"},
                                .working_directory = other.path(),
                                .environment = {{"EXAM_SITE", (other / "site.toml").string()}}});
    run_tool(EXAM_JOURNAL_BIN, {.args = {"event", "--kind", "other"},
                                .working_directory = other.path(),
                                .environment = {{"EXAM_SITE", (other / "site.toml").string()}}});
    const auto result = journal({"verify", "--db", (other / "data" / "journal.sqlite").string(),
                                 "--public-key", public_key});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_TRUE(contains(result.standard_output, "does not carry a valid signature"))
        << result.standard_output;
}

TEST_F(JournalCli, ProofIsInTheCheckpointsBase64AndChecksOutWithTheReferenceAlgorithm) {
    admit_ivanov();
    journal({"event", "--kind", "operability-check"});
    const auto json = nlohmann::json::parse(journal({"prove", "1", "--json"}).standard_output);
    auto decode = [](const nlohmann::json& text) {
        const auto bytes = exam::base64_decode(text.get<std::string>());
        EXPECT_TRUE(bytes && bytes->size() == 32) << text;
        exam::merkle::Hash hash{};
        if (bytes && bytes->size() == 32) {
            std::copy(bytes->begin(), bytes->end(), hash.begin());
        }
        return hash;
    };
    std::vector<exam::merkle::Hash> proof;
    for (const auto& hash : json["proof"]) {
        proof.push_back(decode(hash));
    }
    EXPECT_EQ(json["tree_size"], 3);
    EXPECT_TRUE(exam::merkle::verify_inclusion(decode(json["leaf_hash"]), 1, 3, proof,
                                               decode(json["root_hash"])));
    // The root is written as the checkpoint writes it: its third line, byte for byte.
    const std::string note = journal({"checkpoint"}).standard_output;
    EXPECT_TRUE(contains(note, "\n3\n" + json["root_hash"].get<std::string>() + "\n\n")) << note;
    const auto checkpoint =
        nlohmann::json::parse(journal({"checkpoint", "--json"}).standard_output);
    EXPECT_EQ(checkpoint["root_hash"], json["root_hash"]);
    EXPECT_EQ(checkpoint["public_key"], public_key);

    // Without --json, for people: the same base64 and how to check it.
    const auto text = journal({"prove", "1"});
    EXPECT_EQ(text.exit_code, 0) << text.standard_error;
    EXPECT_TRUE(contains(text.standard_output, json["root_hash"].get<std::string>()))
        << text.standard_output;
    EXPECT_TRUE(contains(text.standard_output, json["leaf_hash"].get<std::string>()))
        << text.standard_output;
    EXPECT_TRUE(contains(text.standard_output, "To check")) << text.standard_output;
    EXPECT_TRUE(contains(text.standard_output, "docs/journal-format.md")) << text.standard_output;
}

TEST_F(JournalCli, TheKeysFingerprintIsShownWhereverTheKeyIs) {
    const auto init_again = [&] {
        exam::testing::TempDir other;
        std::filesystem::copy_file(temp / "site.toml", other / "site.toml");
        return run_tool(EXAM_JOURNAL_BIN,
                        {.args = {"init"},
                         .working_directory = other.path(),
                         .environment = {{"EXAM_SITE", (other / "site.toml").string()}}});
    }();
    ASSERT_EQ(init_again.exit_code, 0);
    std::smatch match;
    ASSERT_TRUE(std::regex_search(init_again.standard_error, match,
                                  std::regex{"fingerprint: ([0-9a-f]{4}(-[0-9a-f]{4}){7})\n"}))
        << init_again.standard_error;
    // Our own key's: from checkpoint --json, then the same in verify's text and JSON.
    const auto checkpoint =
        nlohmann::json::parse(journal({"checkpoint", "--json"}).standard_output);
    const std::string fingerprint = checkpoint["fingerprint"];
    EXPECT_TRUE(std::regex_match(fingerprint, std::regex{"[0-9a-f]{4}(-[0-9a-f]{4}){7}"}))
        << fingerprint;
    EXPECT_NE(fingerprint, match[1].str());  // another key, another fingerprint
    const auto verify = journal({"verify"});
    EXPECT_TRUE(contains(verify.standard_output, "fingerprint: " + fingerprint))
        << verify.standard_output;
    EXPECT_EQ(nlohmann::json::parse(journal({"verify", "--json"}).standard_output)["fingerprint"],
              fingerprint);
}

TEST_F(JournalCli, VerifyChecksAgainstThePapersSizeAndRootAndSaysItIsNotASignature) {
    admit_ivanov();
    const std::string note = journal({"checkpoint"}).standard_output;
    ASSERT_EQ(note.find("examkit/ppe/01/0042\n2\n"), 0u) << note;
    const std::string root = note.substr(22, note.find('\n', 22) - 22);
    journal({"event", "--kind", "other"});

    const auto matches = journal({"verify", "--size", "2", "--root", root});
    EXPECT_EQ(matches.exit_code, 0) << matches.standard_output << matches.standard_error;
    EXPECT_TRUE(contains(matches.standard_output, "the paper's size and root, not a signature"))
        << matches.standard_output;
    const auto json = nlohmann::json::parse(
        journal({"verify", "--size", "2", "--root", root, "--json"}).standard_output);
    EXPECT_EQ(json["ok"], true);
    EXPECT_EQ(json["paper"]["size"], 2);
    EXPECT_EQ(json["paper"]["root"], root);

    const auto other_size = journal({"verify", "--size", "1", "--root", root});
    EXPECT_EQ(other_size.exit_code, 2) << other_size.standard_output;
    EXPECT_TRUE(contains(other_size.standard_output, "does not match the paper"))
        << other_size.standard_output;
    const auto beyond = journal({"verify", "--size", "9", "--root", root});
    EXPECT_EQ(beyond.exit_code, 2);
    EXPECT_TRUE(contains(beyond.standard_output, "the journal was cut")) << beyond.standard_output;

    EXPECT_EQ(journal({"verify", "--size", "2"}).exit_code, 64);
    const auto not_base64 = journal({"verify", "--size", "2", "--root", "zz"});
    EXPECT_EQ(not_base64.exit_code, 64);
    EXPECT_TRUE(contains(not_base64.standard_error, "base64")) << not_base64.standard_error;
}

TEST_F(JournalCli, AnOutsideCheckpointCopiedWithItsLayoutChangedIsStillAccepted) {
    admit_ivanov();
    const std::string note = journal({"checkpoint"}).standard_output;
    journal({"event", "--kind", "other"});
    // CR LF line ends, an extra blank line at the end, no blank line before the signature,
    // a signature line wrapped at the page's edge and a hyphen for the em dash.
    std::string copied;
    for (const char c : note) {
        copied += c == '\n' ? std::string{"\r\n"} : std::string{c};
    }
    const auto dash = copied.find("\u2014 ");
    copied = "  " + copied.substr(0, dash - 2) + "- " + copied.substr(dash + 4, 30) + "\r\n" +
             copied.substr(dash + 4 + 30) + "\r\n\r\n";
    temp.write("copied.checkpoint", copied);
    const auto result =
        journal({"verify", "--checkpoint", "copied.checkpoint", "--public-key", public_key});
    EXPECT_EQ(result.exit_code, 0) << copied << result.standard_output << result.standard_error;
}

TEST_F(JournalCli, VerifyOfACopyWithoutTheExamPointsKeyProvesIntegrityNotOrigin) {
    admit_ivanov();
    ASSERT_EQ(journal({"backup", "copy.sqlite"}).exit_code, 0);
    const std::string fingerprint =
        nlohmann::json::parse(journal({"checkpoint", "--json"}).standard_output)["fingerprint"];
    exam::testing::TempDir auditor;  // no site file here
    const std::string copy = (temp / "copy.sqlite").string();
    const auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", copy});
        return run_tool(EXAM_JOURNAL_BIN, {.args = args, .working_directory = auditor.path()});
    };
    const auto unproven = run({"verify"});
    EXPECT_EQ(unproven.exit_code, 3) << unproven.standard_output << unproven.standard_error;
    EXPECT_TRUE(contains(unproven.standard_output, "fingerprint: " + fingerprint))
        << unproven.standard_output;
    EXPECT_TRUE(contains(unproven.standard_output, "origin is not proven"))
        << unproven.standard_output;
    const auto json = nlohmann::json::parse(run({"verify", "--json"}).standard_output);
    EXPECT_EQ(json["ok"], true);
    EXPECT_EQ(json["origin_proven"], false);
    EXPECT_EQ(json["key_source"], "journal");

    EXPECT_EQ(run({"verify", "--public-key", public_key}).exit_code, 0);
    // On the exam point, its own key (from the keys folder) is the one trusted.
    const auto at_home = journal({"--db", copy, "verify", "--json"});
    EXPECT_EQ(at_home.exit_code, 0) << at_home.standard_output;
    EXPECT_EQ(nlohmann::json::parse(at_home.standard_output)["key_source"], "site");

    // A copy whose integrity fails is a failure (2), whoever signed it.
    std::filesystem::copy_file(temp / "copy.sqlite", auditor / "bad.sqlite");
    ASSERT_EQ(exam::run_subprocess(
                  {.argv = {"sqlite3", (auditor / "bad.sqlite").string(),
                            k_drop_guards + "UPDATE entry SET note = 'x' WHERE seq = 0;"}})
                  .exit_code,
              0);
    EXPECT_EQ(
        run_tool(EXAM_JOURNAL_BIN, {.args = {"--db", (auditor / "bad.sqlite").string(), "verify"},
                                    .working_directory = auditor.path()})
            .exit_code,
        2);
}

TEST_F(JournalCli, AJournalSwappedInWithItsOwnKeysFailsAgainstTheExamPointsOwnKey) {
    admit_ivanov();
    exam::testing::TempDir other;
    std::filesystem::copy_file(temp / "site.toml", other / "site.toml");
    const std::vector<std::pair<std::string, std::string>> other_site{
        {"EXAM_SITE", (other / "site.toml").string()}};
    run_tool(EXAM_JOURNAL_BIN,
             {.args = {"init"}, .working_directory = other.path(), .environment = other_site});
    run_tool(EXAM_JOURNAL_BIN, {.args = {"event", "--kind", "other"},
                                .working_directory = other.path(),
                                .environment = other_site});
    // On the exam point, without --public-key: its keys folder says whose the journal must be.
    const auto result = journal({"--db", (other / "data" / "journal.sqlite").string(), "verify"});
    EXPECT_EQ(result.exit_code, 2) << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "does not carry a valid signature"))
        << result.standard_output;
}

TEST_F(JournalCli, ConcurrentAppendsFromTwoProcessesAllLand) {
    const std::string loop =
        "for i in $(seq 1 25); do \"$0\" event --kind other --note \"$1 $i\" >/dev/null || exit 1; "
        "done";
    auto run_loop = [&](const std::string& who) {
        return exam::run_subprocess(
            {.argv = {"sh", "-c", loop, EXAM_JOURNAL_BIN, who},
             .set_environment = {{"EXAM_SITE", (temp / "site.toml").string()}},
             .working_directory = temp.path(),
             .timeout = 120s});
    };
    exam::SubprocessResult first, second;
    std::thread a([&] { first = run_loop("A"); });
    std::thread b([&] { second = run_loop("B"); });
    a.join();
    b.join();
    EXPECT_EQ(first.exit_code, 0) << first.standard_error;
    EXPECT_EQ(second.exit_code, 0) << second.standard_error;
    EXPECT_EQ(entry_count(), 51);  // the roster import and 50 events
    EXPECT_EQ(journal({"verify"}).exit_code, 0);
}

TEST_F(JournalCli, KillDuringAnAppendLoopLeavesAJournalThatVerifiesWithEveryAcknowledgedEntry) {
    // Appends until killed; each acknowledged append prints a line to the acks file.
    const std::string loop =
        "while :; do \"$0\" event --kind other --note x >>acks || exit 1; done";
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::chdir(temp.path().c_str());
        ::setenv("EXAM_SITE", (temp / "site.toml").c_str(), 1);
        ::execlp("sh", "sh", "-c", loop.c_str(), EXAM_JOURNAL_BIN, nullptr);
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (entry_count() < 15 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
    }
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    const std::string acks = exam::testing::read_file(temp / "acks");
    const auto acknowledged = std::count(acks.begin(), acks.end(), '\n');
    EXPECT_GE(acknowledged, 10);
    EXPECT_GE(entry_count() - 1, acknowledged);  // every acknowledged event is there
    const auto result = journal({"verify"});
    EXPECT_EQ(result.exit_code, 0) << result.standard_output;
}

TEST_F(JournalCli, CsvExportNeutralisesFormulas) {
    journal({"event", "--kind", "other", "--note", "=HYPERLINK(\"http://x\")"});
    journal({"event", "--kind", "other", "--note", "@SUM(A1)"});
    const auto csv = journal({"export", "--format", "csv"}).standard_output;
    EXPECT_TRUE(contains(csv, "\"'=HYPERLINK(\"\"http://x\"\")\"")) << csv;
    EXPECT_TRUE(contains(csv, "\"'@SUM(A1)\"")) << csv;
    EXPECT_FALSE(contains(csv, ",\"=HYPERLINK"));
}

TEST_F(JournalCli, JsonlExportIsTheLeafBytesInOrder) {
    admit_ivanov();
    const auto jsonl = journal({"export", "--format", "jsonl"}).standard_output;
    const auto first_line = jsonl.substr(0, jsonl.find('\n'));
    EXPECT_EQ(nlohmann::json::parse(first_line)["seq"], 0);
    EXPECT_TRUE(contains(jsonl, "\"kind\":\"enter\""));
    EXPECT_EQ(std::count(jsonl.begin(), jsonl.end(), '\n'), 2);
}

TEST_F(JournalCli, BackupOpensReadOnlyForAuditorsAndWritingCommandsRefuse) {
    admit_ivanov();
    const auto backup = journal({"backup", "copy.sqlite"});
    ASSERT_EQ(backup.exit_code, 0) << backup.standard_error;
    // Read-only media: the copy on a tmpfs remounted read-only.
    std::filesystem::create_directory(temp / "media");
    ASSERT_EQ(::mount("tmpfs", (temp / "media").c_str(), "tmpfs", 0, "size=4m"), 0);
    std::filesystem::copy_file(temp / "copy.sqlite", temp / "media" / "copy.sqlite");
    ASSERT_EQ(
        ::mount("tmpfs", (temp / "media").c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=4m"), 0);
    const std::string copy = (temp / "media" / "copy.sqlite").string();
    const auto verify = journal({"--db", copy, "verify", "--public-key", public_key});
    const auto list = journal({"--db", copy, "list", "--json"});
    const auto refused = journal({"--db", copy, "event", "--kind", "other"});
    ::umount((temp / "media").c_str());
    EXPECT_EQ(verify.exit_code, 0) << verify.standard_output << verify.standard_error;
    EXPECT_TRUE(contains(list.standard_output, "Иванов Пётр Сергеевич"));
    EXPECT_EQ(refused.exit_code, 64);
    EXPECT_TRUE(contains(refused.standard_error, "read-only")) << refused.standard_error;
    EXPECT_EQ(journal({"backup", "copy.sqlite"}).exit_code, 74);  // never overwrites
}

TEST_F(JournalCli, EquipmentJournalInHtmlPairsRecordingStartAndStopAndEscapes) {
    journal({"event", "--kind", "recording-start", "--room", "0101", "--camera", "0101-front"});
    journal({"event", "--kind", "angle-correction", "--room", "0101", "--note",
             "<script>alert(1)</script>"});
    journal({"event", "--kind", "recording-stop", "--room", "0101", "--camera", "0101-front"});
    const auto html = journal({"list", "--html"}).standard_output;
    EXPECT_TRUE(contains(html, "recording (0101-front)")) << html;
    EXPECT_TRUE(contains(html, "&lt;script&gt;")) << html;
    EXPECT_FALSE(contains(html, "<script>"));
}

TEST_F(JournalCli, NamesInAnyScriptRoundTripExactly) {
    const std::string name = "李小龙 Ñúñez عبد الله Ὀδυσσεύς";
    ASSERT_EQ(journal({"enter", "--name", name, "--role", "police"}, "X1234567\n").exit_code, 0);
    const auto list =
        nlohmann::json::parse(journal({"list", "--json", "--role", "police"}).standard_output);
    ASSERT_EQ(list["entries"].size(), 1u);
    EXPECT_EQ(list["entries"][0]["name"], name);
    const auto jsonl = journal({"export", "--format", "jsonl"}).standard_output;
    EXPECT_TRUE(contains(jsonl, "\"name\":\"" + name + "\"")) << jsonl;
}

TEST_F(JournalCli, ListFiltersByNameRoleRoomKindAndTime) {
    admit_ivanov();
    journal({"event", "--kind", "card-out", "--room", "0101", "--note", "card 1"});
    const auto count = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"list", "--json"});
        return nlohmann::json::parse(journal(args).standard_output)["entries"].size();
    };
    EXPECT_EQ(count({"--name", "ИВАНОВ ПЕТР СЕРГЕЕВИЧ"}), 1u);
    EXPECT_EQ(count({"--role", "technician"}), 1u);
    EXPECT_EQ(count({"--room", "0101"}), 1u);
    EXPECT_EQ(count({"--kind", "card-out"}), 1u);
    EXPECT_EQ(count({"--since", "2000-01-01T00:00:00Z"}), 3u);
    EXPECT_EQ(count({"--until", "2000-01-01T00:00:00Z"}), 0u);
    EXPECT_EQ(count({"--exam", "none-such"}), 0u);
    EXPECT_EQ(journal({"list", "--kind", "party"}).exit_code, 64);
    EXPECT_EQ(journal({"list", "--since", "yesterday"}).exit_code, 65);
}

TEST_F(JournalCli, EventRejectsUnknownKindsRoomsAndCameras) {
    EXPECT_EQ(journal({"event", "--kind", "party"}).exit_code, 64);
    EXPECT_EQ(journal({"event", "--kind", "card-out", "--room", "9999"}).exit_code, 64);
    EXPECT_EQ(journal({"event", "--kind", "card-out", "--camera", "nope"}).exit_code, 64);
}

TEST_F(JournalCli, AnAuditorWithoutTheSiteFileReadsACopyInUtc) {
    admit_ivanov();
    ASSERT_EQ(journal({"backup", "copy.sqlite"}).exit_code, 0);
    exam::testing::TempDir auditor;
    std::filesystem::copy_file(temp / "copy.sqlite", auditor / "copy.sqlite");
    const auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", (auditor / "copy.sqlite").string()});
        return run_tool(EXAM_JOURNAL_BIN, {.args = args, .working_directory = auditor.path()});
    };
    const auto list = run({"list"});
    EXPECT_EQ(list.exit_code, 0) << list.standard_error;
    EXPECT_TRUE(contains(list.standard_output, "Иванов Пётр Сергеевич")) << list.standard_output;
    EXPECT_EQ(run({"inside", "--json"}).exit_code, 0);
    EXPECT_EQ(run({"list", "--since", "2000-01-01 00:00", "--html"}).exit_code, 0);
    EXPECT_EQ(run({"verify", "--public-key", public_key}).exit_code, 0);
}

TEST_F(JournalCli, ExportToAFullDiskFailsCleanlyAndLeavesNothingBehind) {
    admit_ivanov();
    const auto full = temp / "full";
    std::filesystem::create_directory(full);
    ASSERT_EQ(::mount("tmpfs", full.c_str(), "tmpfs", 0, "size=64k"), 0);
    {
        // Fill the disk to the last block.
        std::ofstream filler(full / "filler", std::ios::binary);
        const std::string block(4096, 'x');
        while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
        }
    }
    const auto result =
        journal({"export", "--format", "csv", "-o", (full / "journal.csv").string()});
    std::vector<std::string> left;
    for (const auto& entry : std::filesystem::directory_iterator(full)) {
        left.push_back(entry.path().filename().string());
    }
    ::umount(full.c_str());
    EXPECT_EQ(result.exit_code, 74) << result.standard_error;
    EXPECT_TRUE(contains(result.standard_error, "journal.csv")) << result.standard_error;
    EXPECT_EQ(left, std::vector<std::string>{"filler"});
}

TEST_F(JournalCli, ExportToAFileGetsARestrictiveModeAndWholeContent) {
    admit_ivanov();
    ASSERT_EQ(journal({"export", "--format", "jsonl", "-o", "out.jsonl"}).exit_code, 0);
    EXPECT_EQ(std::filesystem::status(temp / "out.jsonl").permissions() &
                  std::filesystem::perms::others_all,
              std::filesystem::perms::none);
    EXPECT_EQ(exam::testing::read_file(temp / "out.jsonl"),
              journal({"export", "--format", "jsonl"}).standard_output);
}
