// The tools in Russian, as the people who use them run them: LANG=ru_RU.UTF-8 and the Russian
// catalogue the build compiled from po/ru.po. Every --help, a failed check, a refused entry, a
// failed verification and the printable protocol (also as a PDF printed by headless Chromium)
// speak Russian, with dates as 22.11.2026 07:45; machine output stays as it is, and LANG=C
// stays English.
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <exam/util/subprocess.hpp>

#include "support/background_process.hpp"
#include "support/languages.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;

using Environment = std::vector<std::pair<std::string, std::string>>;

Environment russian() {
    return exam::testing::user_environment("ru_RU.UTF-8");
}

Environment english() {
    return exam::testing::user_environment("C");
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Cyrillic letters are two bytes in UTF-8, the first 0xD0 or 0xD1.
bool has_cyrillic(const std::string& text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == 0xD0 || byte == 0xD1) {
            return true;
        }
    }
    return false;
}

// "22.11.2026 07:45", as a Russian reader writes a date and a time.
const std::regex k_russian_time{R"(\b\d\d\.\d\d\.\d{4} \d\d:\d\d\b)"};
// "2026-11-22 07:45", as the English output writes them.
const std::regex k_english_time{R"(\b\d{4}-\d\d-\d\d \d\d:\d\d\b)"};

class InRussian : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        temp.write("site.toml",
                   "ppe_code = \"0042\"\nregion = \"01\"\nname = \"School\"\n"
                   "timezone = \"Europe/Moscow\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\n"
                   "id = \"front\"\nuri = \"test:160x120@10\"\n");
        temp.write("suite.toml",
                   "[[check]]\nid = \"ok\"\ntype = \"command\"\nrun = \"true\"\n\n"
                   "[[check]]\nid = \"missing\"\ntype = \"file\"\npath = \"no-such-file\"\n");
        temp.write("roster.csv",
                   "ФИО;Роль;Документ\n"
                   "Смирнова Анна;commission;4507 654321\n");
    }

    exam::SubprocessResult tool(const std::string& binary, std::vector<std::string> args,
                                Environment environment = russian(), std::string input = {}) {
        environment.emplace_back("EXAM_SITE", (temp / "site.toml").string());
        environment.emplace_back("EXAM_ACTOR", "Tester");
        return exam::testing::run_tool(binary, {.args = std::move(args),
                                                .working_directory = temp.path(),
                                                .environment = std::move(environment),
                                                .standard_input = std::move(input)});
    }

    void start_journal() {
        ASSERT_EQ(tool(EXAM_JOURNAL_BIN, {"init"}).exit_code, 0);
        ASSERT_EQ(tool(EXAM_JOURNAL_BIN, {"roster", "import", "roster.csv"}).exit_code, 0);
    }
};

// The commands a --help lists (the lines of its "Команды:" section).
std::vector<std::string> commands_listed(const std::string& help) {
    std::vector<std::string> commands;
    std::istringstream lines(help);
    std::string line;
    bool in_commands = false;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.front() != ' ') {
            in_commands = line == "Команды:";
            continue;
        }
        if (in_commands && line.starts_with("  ") && !line.starts_with("   ")) {
            commands.push_back(line.substr(2, line.find(' ', 2) - 2));
        }
    }
    return commands;
}

// One --help in Russian: CLI11's own words too, and every command's and option's description.
void expect_russian_help(const std::string& help, const std::string& command) {
    SCOPED_TRACE(command);
    for (const char* english : {"Usage:", "Options:", "Subcommands:", "Positionals:", "REQUIRED",
                                "Exit codes:", "[OPTIONS]", "[SUBCOMMAND]"}) {
        EXPECT_FALSE(contains(help, english)) << english << " in\n" << help;
    }
    EXPECT_TRUE(contains(help, "Использование: ")) << help;
    std::istringstream lines(help);
    std::string line;
    std::getline(lines, line);
    EXPECT_TRUE(has_cyrillic(line)) << "the command's description: " << line;
    // "  --site FILE     Файл площадки …", "  run     Выполнить …": the text after the name.
    const std::regex described{R"(^  (\S[^ ]*( [A-Z0-9_:\[\]\.]+)?)\s{2,}(.+)$)"};
    while (std::getline(lines, line)) {
        std::smatch match;
        if (std::regex_match(line, match, described)) {
            EXPECT_TRUE(has_cyrillic(match[3].str())) << "in English: " << line;
        }
    }
}

}  // namespace

TEST_F(InRussian, EveryHelpOfEveryCommandIsInRussian) {
    for (const char* binary : {EXAM_PRECHECK_BIN, EXAM_CAMERA_BIN, EXAM_JOURNAL_BIN}) {
        int seen = 0;
        std::vector<std::vector<std::string>> pending{{}};
        while (!pending.empty()) {
            const std::vector<std::string> path = pending.back();
            pending.pop_back();
            std::vector<std::string> args = path;
            args.push_back("--help");
            const auto help = tool(binary, args);
            std::string command = binary;
            for (const auto& word : path) {
                command += " " + word;
            }
            ASSERT_EQ(help.exit_code, 0) << command << help.standard_error;
            expect_russian_help(help.standard_output, command);
            ++seen;
            for (const std::string& sub : commands_listed(help.standard_output)) {
                std::vector<std::string> deeper = path;
                deeper.push_back(sub);
                pending.push_back(deeper);
            }
        }
        EXPECT_GT(seen, 5) << binary << ": its commands were not found under \"Команды:\"";
    }
}

TEST_F(InRussian, AMistypedCommandLineIsToldInRussian) {
    const auto missing = tool(EXAM_PRECHECK_BIN, {"run"});
    EXPECT_EQ(missing.exit_code, 64);
    EXPECT_TRUE(contains(missing.standard_error, "не указан обязательный параметр --suite"))
        << missing.standard_error;
    const auto bad_number = tool(EXAM_JOURNAL_BIN, {"verify", "--size", "-3"});
    EXPECT_EQ(bad_number.exit_code, 64);
    EXPECT_TRUE(contains(bad_number.standard_error, "ожидалось целое число не меньше 0"))
        << bad_number.standard_error;
}

TEST_F(InRussian, AFailedCheckIsReportedInRussianAndItsJsonStaysAsItIs) {
    const auto run = tool(EXAM_PRECHECK_BIN, {"run", "--suite", "suite.toml", "--report", "text",
                                              "--report", "json:run.json"});
    EXPECT_EQ(run.exit_code, 2) << run.standard_error;
    const std::string& out = run.standard_output;
    EXPECT_TRUE(contains(out, "СТАТУС")) << out;
    EXPECT_TRUE(contains(out, "не пройдено  missing")) << out;
    EXPECT_TRUE(contains(out, "пройдено     ok")) << out;
    EXPECT_TRUE(contains(out, "ожидалось:")) << out;
    EXPECT_TRUE(contains(out, "найдено:")) << out;
    EXPECT_TRUE(contains(out, "0 код завершения")) << out;
    EXPECT_TRUE(contains(out, " мс")) << out;
    EXPECT_TRUE(std::regex_search(out, k_russian_time)) << out;
    EXPECT_FALSE(std::regex_search(out, k_english_time)) << out;
    // The report for machines: English words and ISO times, whatever the language.
    const auto json = nlohmann::json::parse(exam::testing::read_file(temp / "run.json"));
    bool failed = false;
    for (const auto& check : json["checks"]) {
        failed = failed || (check["id"] == "missing" && check["status"] == "fail");
    }
    EXPECT_TRUE(failed) << json.dump(2);
    EXPECT_TRUE(std::regex_match(json["time"].get<std::string>(),
                                 std::regex{R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"}))
        << json["time"];
}

TEST_F(InRussian, ARefusedEntryIsToldInRussianAndRecordedInEnglish) {
    start_journal();
    const auto refused =
        tool(EXAM_JOURNAL_BIN, {"enter", "--name", "Смирнова Анна", "--role", "technician"},
             russian(), "4507654321\n");
    EXPECT_EQ(refused.exit_code, 2) << refused.standard_error;
    EXPECT_TRUE(contains(refused.standard_output, "ОТКАЗАНО В ДОПУСКЕ: Смирнова Анна"))
        << refused.standard_output;
    EXPECT_TRUE(
        contains(refused.standard_output, "значится в списке работников ППЭ как commission"))
        << refused.standard_output;
    // The journal keeps the reason in English (the same in every language).
    const auto listed = tool(EXAM_JOURNAL_BIN, {"list", "--json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.standard_error;
    EXPECT_TRUE(
        contains(listed.standard_output, "is on the staff list as commission, not technician"))
        << listed.standard_output;
    // The listing for people: Russian dates.
    const auto people = tool(EXAM_JOURNAL_BIN, {"list"});
    EXPECT_TRUE(std::regex_search(people.standard_output, k_russian_time))
        << people.standard_output;
}

// A camera that gives no picture (its port refuses): the technician reads why in Russian, while
// the records keep it in English whatever the shell's language: the recordings' index (which
// export manifests copy) and the journal's entries.
TEST_F(InRussian, ACameraWithoutPictureIsToldInRussianAndRecordedInEnglish) {
    temp.write("site.toml",
               "ppe_code = \"0042\"\nregion = \"01\"\nname = \"School\"\n"
               "timezone = \"Europe/Moscow\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\n"
               "id = \"door\"\nuri = \"rtsp://127.0.0.1:1/door\"\n");
    start_journal();
    std::vector<std::string> argv{"env"};
    for (const auto& [name, value] : russian()) {
        argv.push_back(name + "=" + value);
    }
    argv.insert(argv.end(), {"EXAM_SITE=" + (temp / "site.toml").string(), "EXAM_ACTOR=Tester",
                             EXAM_CAMERA_BIN, "record", "--all"});
    exam::testing::BackgroundProcess recorder(argv, temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually(
        [&] { return contains(exam::testing::read_file(temp / "record.log"), "door: нет"); }, 30s))
        << exam::testing::read_file(temp / "record.log");
    recorder.stop(10s);
    const std::string log = exam::testing::read_file(temp / "record.log");
    // On the terminal: our words and the system's, in Russian.
    EXPECT_TRUE(contains(log,
                         "нет изображения: не удаётся подключиться к 127.0.0.1:1: В "
                         "соединении отказано; переподключение"))
        << log;

    const auto gaps =
        exam::run_subprocess({.argv = {"sqlite3", (temp / "recordings/index.sqlite").string(),
                                       "SELECT camera || ': ' || reason FROM gaps"}});
    ASSERT_EQ(gaps.exit_code, 0) << gaps.standard_error;
    EXPECT_EQ(gaps.standard_output, "door: cannot connect to 127.0.0.1:1: Connection refused\n");

    const auto entries = tool(EXAM_JOURNAL_BIN, {"export", "--format", "jsonl"});
    ASSERT_EQ(entries.exit_code, 0) << entries.standard_error;
    std::istringstream lines{entries.standard_output};
    int recording_entries = 0;
    for (std::string line; std::getline(lines, line);) {
        if (contains(line, "\"recording-")) {
            ++recording_entries;
            // No Cyrillic letter (in UTF-8, each starts with the byte D0 or D1).
            EXPECT_EQ(line.find_first_of("\xD0\xD1"), std::string::npos) << line;
        }
    }
    EXPECT_GE(recording_entries, 2) << entries.standard_output;  // start, gap, stop
}

// The paper journal of access to the video equipment, printed for signatures: in Russian, its
// actions named as the form names them.
TEST_F(InRussian, ThePaperEquipmentJournalIsInRussian) {
    start_journal();
    ASSERT_EQ(tool(EXAM_JOURNAL_BIN, {"event", "--kind", "operability-check", "--room", "0101"})
                  .exit_code,
              0);
    const auto paper = tool(EXAM_JOURNAL_BIN, {"list", "--html"});
    ASSERT_EQ(paper.exit_code, 0) << paper.standard_error;
    const std::string& page = paper.standard_output;
    EXPECT_TRUE(contains(page, "<html lang=\"ru\">")) << page.substr(0, 200);
    EXPECT_TRUE(contains(page, "Журнал доступа к видеооборудованию")) << page;
    EXPECT_TRUE(contains(page, "проверка работоспособности")) << page;
    EXPECT_TRUE(std::regex_search(page, std::regex{R"(<td>\d\d\.\d\d\.\d{4}</td>)"})) << page;
    EXPECT_FALSE(contains(page, "operability-check")) << page;
}

TEST_F(InRussian, AFailedVerificationIsToldInRussian) {
    start_journal();
    const auto sql = exam::run_subprocess(
        {.argv = {"sqlite3", (temp / "data/journal.sqlite").string(),
                  "DROP TRIGGER IF EXISTS entry_no_update; UPDATE entry SET name = 'X' WHERE "
                  "seq = 0;"}});
    ASSERT_EQ(sql.exit_code, 0) << sql.standard_error;
    const auto verified = tool(EXAM_JOURNAL_BIN, {"verify"});
    EXPECT_EQ(verified.exit_code, 2);
    EXPECT_TRUE(contains(verified.standard_output, "журнал НЕ ПРОШЁЛ проверку: запись 0 изменена"))
        << verified.standard_output << verified.standard_error;
    EXPECT_TRUE(contains(verified.standard_output, "отпечаток: ")) << verified.standard_output;
}

// The protocol a technician prints and signs: in Russian, declared as such, with Russian dates;
// and printed to PDF by headless Chromium, its text reads back in Cyrillic (the fonts are there:
// no empty boxes).
TEST_F(InRussian, TheProtocolIsInRussianOnScreenAndInItsPdf) {
    const auto run =
        tool(EXAM_PRECHECK_BIN, {"run", "--suite", "suite.toml", "--report", "html:protocol.html"});
    EXPECT_EQ(run.exit_code, 2) << run.standard_error;
    const std::string page = exam::testing::read_file(temp / "protocol.html");
    EXPECT_TRUE(contains(page, "<html lang=\"ru\">")) << page.substr(0, 200);
    for (const char* text : {"Протокол готовности рабочей станции", "НЕ ГОТОВО", "НЕ ПРОЙДЕНО",
                             "Технический специалист",
                             "Член государственной экзаменационной "
                             "комиссии"}) {
        EXPECT_TRUE(contains(page, text)) << text;
    }
    EXPECT_TRUE(std::regex_search(page, k_russian_time));

    const auto printed = exam::run_subprocess(
        {.argv = {"chromium", "--headless", "--no-sandbox", "--disable-gpu",
                  "--user-data-dir=" + (temp / "chromium").string(), "--no-pdf-header-footer",
                  "--print-to-pdf=" + (temp / "protocol.pdf").string(),
                  (temp / "protocol.html").string()},
         .working_directory = temp.path(),
         .timeout = std::chrono::seconds{60}});
    ASSERT_EQ(printed.exit_code, 0) << printed.standard_error;
    const auto text = exam::run_subprocess(
        {.argv = {"pdftotext", "-layout", (temp / "protocol.pdf").string(), "-"}});
    ASSERT_EQ(text.exit_code, 0) << text.standard_error;
    // (A narrow cell may break "НЕ ПРОЙДЕНО" over two lines; these stay whole.)
    for (const char* words : {"Протокол готовности рабочей станции", "НЕ ГОТОВО", "Время проверки",
                              "Технический специалист"}) {
        EXPECT_TRUE(contains(text.standard_output, words)) << words << " not in\n"
                                                           << text.standard_output;
    }
    EXPECT_TRUE(std::regex_search(text.standard_output, k_russian_time)) << text.standard_output;
}

TEST_F(InRussian, UnderLangCTheSameCommandsStayEnglish) {
    const auto help = tool(EXAM_PRECHECK_BIN, {"--help"}, english());
    EXPECT_TRUE(help.standard_output.starts_with(
        "Readiness checks for an exam point's stations, timed against the exam schedule.\n"
        "Usage: exam-precheck [OPTIONS] [SUBCOMMAND]\n\nOptions:\n"))
        << help.standard_output;
    EXPECT_TRUE(contains(help.standard_output, "\nSubcommands:\n")) << help.standard_output;
    EXPECT_FALSE(has_cyrillic(help.standard_output)) << help.standard_output;
    const auto run = tool(EXAM_PRECHECK_BIN, {"run", "--suite", "suite.toml"}, english());
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_TRUE(contains(run.standard_output, "STATUS")) << run.standard_output;
    EXPECT_TRUE(contains(run.standard_output, "fail    missing")) << run.standard_output;
    EXPECT_TRUE(contains(run.standard_output, "0 exit code")) << run.standard_output;
    EXPECT_TRUE(std::regex_search(run.standard_output, k_english_time)) << run.standard_output;
    EXPECT_FALSE(has_cyrillic(run.standard_output)) << run.standard_output;
    const auto missing = tool(EXAM_PRECHECK_BIN, {"run"}, english());
    EXPECT_TRUE(contains(missing.standard_error, "error: --suite is required"))
        << missing.standard_error;
}
