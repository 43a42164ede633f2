// Journal entries must not depend on the language: the same morning (a staff list, admissions,
// a refusal, a pre-check run, a recorded segment) recorded once in English and once under a
// catalogue that translates every text of the sources gives entries with the same words.
#include <csignal>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "support/background_process.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"
#include "support/translated_catalogue.hpp"

namespace {

using exam::testing::BackgroundProcess;
using exam::testing::run_tool;
using Environment = std::vector<std::pair<std::string, std::string>>;
using namespace std::chrono_literals;

using exam::testing::k_translation_marker;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class JournalLanguage : public ::testing::Test {
protected:
    static Environment translated() { return exam::testing::language_environment("xx"); }
    static Environment english() { return exam::testing::language_environment("en"); }

    struct Morning {
        std::vector<nlohmann::json> entries;  // the journal as exported: its leaves
        std::string refusal;                  // what the entrance staff read at a refusal
    };

    // One exam point's morning in `folder`, in the language `environment` gives.
    static Morning record_a_morning(const exam::testing::TempDir& folder, Environment environment) {
        folder.write("site.toml",
                     "ppe_code = \"0042\"\nregion = \"01\"\nname = \"School\"\n"
                     "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\n"
                     "reserve = \"1MB\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\n"
                     "id = \"front\"\nuri = \"test:320x180@25\"\n");
        folder.write("roster.csv",
                     "ФИО;Роль;Документ\n"
                     "Иванов Пётр Сергеевич;technician;45 06 123456\n"
                     "Смирнова Анна;commission;4507 654321\n");
        folder.write("suite.toml",
                     "[[check]]\nid = \"ok\"\ntype = \"command\"\nrun = \"true\"\n\n"
                     "[[check]]\nid = \"missing\"\ntype = \"file\"\npath = \"no-such-file\"\n");
        environment.emplace_back("EXAM_SITE", (folder / "site.toml").string());
        environment.emplace_back("EXAM_ACTOR", "Tester");
        Morning morning;
        const auto tool = [&](const std::string& binary, std::vector<std::string> args,
                              std::string input = {}) {
            return run_tool(binary, {.args = std::move(args),
                                     .working_directory = folder.path(),
                                     .environment = environment,
                                     .standard_input = std::move(input)});
        };
        EXPECT_EQ(tool(EXAM_JOURNAL_BIN, {"init"}).exit_code, 0);
        EXPECT_EQ(tool(EXAM_JOURNAL_BIN, {"roster", "import", "roster.csv"}).exit_code, 0);
        EXPECT_EQ(tool(EXAM_JOURNAL_BIN,
                       {"enter", "--name", "Иванов Пётр Сергеевич", "--role", "technician"},
                       "4506123456\n")
                      .exit_code,
                  0);
        const auto refused =
            tool(EXAM_JOURNAL_BIN, {"enter", "--name", "Смирнова Анна", "--role", "technician"},
                 "4507654321\n");
        EXPECT_EQ(refused.exit_code, 2) << refused.standard_output << refused.standard_error;
        morning.refusal = refused.standard_output;
        EXPECT_EQ(tool(EXAM_JOURNAL_BIN,
                       {"enter", "--name", "Смирнова Анна", "--role", "technician",
                        "--admit-anyway", "--reason", "replaces a technician"},
                       "4507654321\n")
                      .exit_code,
                  0);
        EXPECT_EQ(
            tool(EXAM_JOURNAL_BIN, {"enter", "--name", "Петров", "--role", "medic"}, "1111222233\n")
                .exit_code,
            2);
        EXPECT_EQ(
            tool(EXAM_PRECHECK_BIN, {"run", "--suite", "suite.toml", "--station", "hq"}).exit_code,
            2);
        record_one_segment(folder, environment, tool);
        const auto exported = tool(EXAM_JOURNAL_BIN, {"export", "--format", "jsonl"});
        EXPECT_EQ(exported.exit_code, 0) << exported.standard_error;
        std::istringstream lines{exported.standard_output};
        bool segment_seen = false;
        for (std::string line; std::getline(lines, line);) {
            auto entry = nlohmann::json::parse(line);
            // Ctrl-C may come before or after a second segment was finished: one is compared.
            if (entry.value("kind", "") == "segment") {
                if (segment_seen) {
                    continue;
                }
                segment_seen = true;
            }
            morning.entries.push_back(std::move(entry));
        }
        return morning;
    }

    // exam-camera record of the built-in test camera, stopped with Ctrl-C (SIGINT) once the
    // first segment's hash is in the journal.
    template <typename Tool>
    static void record_one_segment(const exam::testing::TempDir& folder,
                                   const Environment& environment, const Tool& tool) {
        std::vector<std::string> argv{"/usr/bin/env"};
        for (const auto& [name, value] : environment) {
            argv.push_back(name + "=" + value);
        }
        argv.insert(argv.end(), {EXAM_CAMERA_BIN, "record", "--all"});
        BackgroundProcess recorder(argv, folder / "record.log");
        const bool journalled = exam::testing::eventually(
            [&] {
                const auto listed = tool(EXAM_JOURNAL_BIN, {"list", "--json", "--kind", "segment"});
                const auto json = nlohmann::json::parse(listed.standard_output, nullptr, false);
                return json.is_object() && !json["entries"].empty();
            },
            60s);
        EXPECT_TRUE(journalled) << exam::testing::read_file(folder / "record.log");
        ::kill(recorder.pid(), SIGINT);
        const auto status = recorder.wait_for_exit(30s);
        EXPECT_TRUE(status && WIFEXITED(*status))
            << exam::testing::read_file(folder / "record.log");
    }
};

// The words of an entry, without what differs between two mornings by nature: times, keys,
// document hashes, the segment's file name, hash and size.
std::string words_of(const nlohmann::json& entry) {
    nlohmann::json words = entry;
    for (const char* varying : {"time", "doc_hmac", "seq"}) {
        words.erase(varying);
    }
    std::string text = words.dump();
    if (entry.value("kind", "") == "segment") {
        text = std::regex_replace(text, std::regex{"[0-9A-Za-z_-]+\\.mp4"}, "FILE");
        text = std::regex_replace(text, std::regex{"sha256 [0-9a-f]{64}"}, "sha256 HEX");
        text = std::regex_replace(text, std::regex{"bytes [0-9]+"}, "bytes N");
    }
    return text;
}

}  // namespace

TEST_F(JournalLanguage, TheCatalogueReallyTranslatesTheTools) {
    const auto help = run_tool(EXAM_JOURNAL_BIN, {.args = {"--help"}, .environment = translated()});
    EXPECT_TRUE(contains(help.standard_output, "[xx] PRINT THIS HELP AND EXIT"))
        << help.standard_output;
    const auto english_help =
        run_tool(EXAM_JOURNAL_BIN, {.args = {"--help"}, .environment = english()});
    EXPECT_FALSE(contains(english_help.standard_output, k_translation_marker))
        << english_help.standard_output;
}

TEST_F(JournalLanguage, EntriesHaveTheSameWordsWhateverTheLanguage) {
    const exam::testing::TempDir in_english;
    const exam::testing::TempDir in_translation;
    const Morning english_morning = record_a_morning(in_english, english());
    const Morning translated_morning = record_a_morning(in_translation, translated());

    // The translated run did speak its language to people...
    EXPECT_TRUE(contains(translated_morning.refusal, k_translation_marker))
        << translated_morning.refusal;
    EXPECT_FALSE(contains(english_morning.refusal, k_translation_marker))
        << english_morning.refusal;

    // ...and wrote the same entries as the English one.
    ASSERT_EQ(translated_morning.entries.size(), english_morning.entries.size());
    std::set<std::string> kinds;
    for (std::size_t i = 0; i < english_morning.entries.size(); ++i) {
        const std::string translated_words = words_of(translated_morning.entries[i]);
        EXPECT_FALSE(contains(translated_words, k_translation_marker)) << translated_words;
        EXPECT_EQ(translated_words, words_of(english_morning.entries[i]));
        kinds.insert(english_morning.entries[i].value("kind", ""));
    }
    // Every kind of entry the tools write themselves was among them.
    for (const char* kind : {"roster-import", "enter", "denied", "operability-check", "segment"}) {
        EXPECT_TRUE(kinds.contains(kind)) << kind;
    }
}
