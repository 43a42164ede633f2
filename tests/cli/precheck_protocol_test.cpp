// The readiness protocol as the commission gets it: HTML rendered by headless Chromium to a
// PDF (A4), whose pages poppler counts and whose text poppler extracts. And the exam point's
// summary merged from the stations' JSON reports.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::run_tool;
using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

exam::SubprocessResult run_program(std::vector<std::string> argv) {
    exam::SubprocessRequest request;
    request.argv = std::move(argv);
    request.timeout = 90s;
    return exam::run_subprocess(request);
}

class PrecheckProtocol : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        temp.write("site.toml", R"(ppe_code = "0042"
region = "77"
name = "School 1 <of Moscow>"
timezone = "Europe/Moscow"
[[exam]]
id = "math"
date = 2026-06-01
subject = "Mathematics"
start = "10:00"
duration = "3h55m"
[[exam]]
id = "physics"
date = 2026-06-04
subject = "Physics"
start = "10:00"
duration = "3h55m"
)");
        m_env = {{"EXAM_SITE", (temp / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
    }

    exam::SubprocessResult precheck(const std::vector<std::string>& args) const {
        return run_tool(EXAM_PRECHECK_BIN,
                        {.args = args, .working_directory = temp.path(), .environment = m_env});
    }

    // The page count and the text of `html` printed to PDF by Chromium.
    std::pair<int, std::string> print(const std::filesystem::path& html) const {
        const auto pdf = temp / "protocol.pdf";
        const auto chromium = run_program(
            {"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             "--user-data-dir=" + (temp / "chromium").string(), "--print-to-pdf=" + pdf.string(),
             "file://" + html.string()});
        EXPECT_EQ(chromium.exit_code, 0) << chromium.standard_error;
        const auto info = run_program({"pdfinfo", pdf.string()});
        EXPECT_EQ(info.exit_code, 0) << info.standard_error;
        int pages = 0;
        const auto at = info.standard_output.find("Pages:");
        if (at != std::string::npos) {
            pages = std::stoi(info.standard_output.substr(at + 6));
        }
        const auto text = run_program({"pdftotext", pdf.string(), "-"});
        EXPECT_EQ(text.exit_code, 0) << text.standard_error;
        // Table cells wrap where the page wants: words are compared, not line breaks.
        std::string words;
        for (const char c : text.standard_output) {
            const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f';
            if (!space) {
                words += c;
            } else if (!words.empty() && words.back() != ' ') {
                words += ' ';
            }
        }
        return {pages, words};
    }

    std::vector<std::pair<std::string, std::string>> m_env;
};

// A station's usual suite, one of them failing with a message made to break the markup.
const std::string k_station_suite = R"(
[[check]]
id = "disk"
title = "Free space for the recordings"
type = "disk"
path = "."
min_free = "1KB"

[[check]]
id = "hostile"
title = "Printer <b>driver</b>"
type = "command"
run = "echo '<script>alert(1)</script><b>bold</b> & more' >&2; exit 2"
hint = "Reinstall the <driver>"

[[check]]
id = "window"
type = "window"
)";

}  // namespace

TEST_F(PrecheckProtocol, PrintsOnA4WithEverythingFromOutsideEscapedAndTheJournalsState) {
    ASSERT_EQ(run_tool(EXAM_JOURNAL_BIN,
                       {.args = {"init"}, .working_directory = temp.path(), .environment = m_env})
                  .exit_code,
              0);
    temp.write("suite.toml", k_station_suite);
    const auto run =
        precheck({"run", "--suite", "suite.toml", "--station", "room-0101", "--exam", "math",
                  "--at", "2026-06-01 08:30", "--report", "html:protocol.html"});
    EXPECT_EQ(run.exit_code, 2) << run.standard_error;
    EXPECT_TRUE(contains(run.standard_error, "protocol.html")) << run.standard_error;

    const std::string html = exam::testing::read_file(temp / "protocol.html");
    EXPECT_FALSE(contains(html, "<script>"));
    EXPECT_FALSE(contains(html, "<b>bold</b>"));
    EXPECT_TRUE(contains(html,
                         "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; "
                         "&amp; more"));

    const auto [pages, text] = print(temp / "protocol.html");
    EXPECT_GE(pages, 1);
    EXPECT_LE(pages, 2);
    // The hostile text is printed as text, not obeyed as markup.
    EXPECT_TRUE(contains(text, "<script>alert(1)")) << text;
    EXPECT_TRUE(contains(text, "<b>bold</b> & more")) << text;
    EXPECT_TRUE(contains(text, "Printer <b>driver</b>")) << text;
    EXPECT_TRUE(contains(text, "PPE 0042 (School 1 <of Moscow>), region 77")) << text;
    EXPECT_TRUE(contains(text, "math — Mathematics, 2026-06-01 10:00")) << text;
    EXPECT_TRUE(contains(text, "room-0101")) << text;
    EXPECT_TRUE(contains(text, "1h30m before the start")) << text;
    EXPECT_TRUE(contains(text, "NOT READY")) << text;
    EXPECT_TRUE(contains(text, "To do: Reinstall the <driver>")) << text;
    // The journal's checkpoint covers the run's own entry, the first of the journal.
    EXPECT_TRUE(contains(text, "Latest signed checkpoint: 1 entry,")) << text;
    EXPECT_TRUE(contains(text, "examkit/ppe/77/0042")) << text;
    EXPECT_TRUE(contains(text, "Technical specialist")) << text;
    EXPECT_TRUE(contains(text, "Member of the state examination commission")) << text;
}

TEST_F(PrecheckProtocol, AWaiverIsListedForTheCommissionToSign) {
    temp.write("suite.toml", k_station_suite);
    temp.write("waivers.toml", R"([[waiver]]
id = "hostile"
justification = "the spare printer is used today"
approved_by = "Head of the exam point"
expires = "2026-06-01"
)");
    const auto run =
        precheck({"run", "--suite", "suite.toml", "--exam", "math", "--at", "2026-06-01 08:30",
                  "--waivers", "waivers.toml", "--report", "html:protocol.html"});
    EXPECT_EQ(run.exit_code, 0) << run.standard_error;
    const std::string html = exam::testing::read_file(temp / "protocol.html");
    EXPECT_TRUE(contains(html, "<h2>Waivers</h2>")) << html;
    const auto listed = html.find("<li>hostile — ");
    ASSERT_NE(listed, std::string::npos) << html;
    const std::string item = html.substr(listed, html.find("</li>", listed) - listed);
    EXPECT_TRUE(contains(item, "approved by Head of the exam point")) << item;
    EXPECT_TRUE(contains(item, "the spare printer is used today")) << item;
    EXPECT_TRUE(contains(html, "No access journal at"));
}

TEST_F(PrecheckProtocol, SummaryMergesTheStationsReports) {
    temp.write("good.toml", "[[check]]\nid = \"ok\"\ntype = \"command\"\nrun = \"true\"\n");
    temp.write("suite.toml", k_station_suite);
    ASSERT_EQ(precheck({"run", "--suite", "good.toml", "--station", "room-0101", "--exam", "math",
                        "--at", "2026-06-01 08:30", "--report", "json:room-0101.json"})
                  .exit_code,
              0);
    ASSERT_EQ(precheck({"run", "--suite", "suite.toml", "--station", "room-0102", "--exam", "math",
                        "--at", "2026-06-01 08:35", "--report", "json:room-0102.json"})
                  .exit_code,
              2);

    const auto text = precheck({"summary", "room-0101.json", "room-0102.json"});
    EXPECT_EQ(text.exit_code, 2) << text.standard_error;
    EXPECT_TRUE(contains(text.standard_output, "Exam point: NOT READY")) << text.standard_output;
    EXPECT_TRUE(contains(text.standard_output, "room-0101")) << text.standard_output;
    EXPECT_TRUE(contains(text.standard_output, "2026-06-01 08:35")) << text.standard_output;
    EXPECT_TRUE(contains(text.standard_output, "room-0102 fail hostile:")) << text.standard_output;

    const auto json_run =
        precheck({"summary", "room-0101.json", "room-0102.json", "--report", "json"});
    const auto json = nlohmann::json::parse(json_run.standard_output);
    EXPECT_EQ(json["exit_code"], 2);
    ASSERT_EQ(json["stations"].size(), 2u);
    EXPECT_EQ(json["stations"][0]["exit_code"], 0);
    EXPECT_EQ(json["stations"][1]["counts"]["fail"], 1);
    ASSERT_EQ(json["problems"].size(), 1u);
    EXPECT_EQ(json["problems"][0]["station"], "room-0102");

    const auto html_run =
        precheck({"summary", "room-0101.json", "room-0102.json", "--report", "html:summary.html"});
    EXPECT_EQ(html_run.exit_code, 2);
    const auto [pages, printed] = print(temp / "summary.html");
    EXPECT_GE(pages, 1);
    EXPECT_LE(pages, 2);
    EXPECT_TRUE(contains(printed, "Readiness protocol of the exam point")) << printed;
    EXPECT_TRUE(contains(printed, "<script>alert(1)")) << printed;
    EXPECT_FALSE(contains(text.standard_error, "warning")) << text.standard_error;

    // The same station twice, and a report of another exam: summarised, but said.
    ASSERT_EQ(precheck({"run", "--suite", "good.toml", "--station", "room-0101", "--exam",
                        "physics", "--at", "2026-06-04 08:40", "--report", "json:again.json"})
                  .exit_code,
              0);
    const auto mixed = precheck({"summary", "room-0101.json", "room-0102.json", "again.json"});
    EXPECT_EQ(mixed.exit_code, 2);
    EXPECT_TRUE(contains(mixed.standard_error,
                         "station room-0101 has two reports, room-0101.json and again.json"))
        << mixed.standard_error;
    EXPECT_TRUE(
        contains(mixed.standard_error, "the reports are of different exams (math, physics)"))
        << mixed.standard_error;
}

TEST_F(PrecheckProtocol, SummaryRefusesAFileThatIsNotAReport) {
    temp.write("notes.json", "{\"hello\": 1}");
    const auto result = precheck({"summary", "notes.json"});
    EXPECT_EQ(result.exit_code, 65);
    EXPECT_TRUE(contains(result.standard_error, "notes.json: not a pre-check JSON report"))
        << result.standard_error;
    EXPECT_EQ(precheck({"summary", "missing.json"}).exit_code, 65);
}

TEST(ShippedSuites, TheServerAndStationSuitesAreValidAndTheirScriptsExist) {
    for (const std::string name : {"server-suite.toml", "station-suite.toml"}) {
        const std::string file = EXAM_SOURCE_DIR "/docs/examples/" + name;
        const auto lint = run_tool(EXAM_PRECHECK_BIN, {.args = {"lint", "--suite", file}});
        EXPECT_EQ(lint.exit_code, 0) << name << ": " << lint.standard_error;
        EXPECT_FALSE(contains(lint.standard_output, "has no hint")) << lint.standard_output;
    }
    for (const std::string script :
         {"clock-sane.sh", "journal-verify.sh", "print-queue-empty.sh"}) {
        const auto file = std::filesystem::path{EXAM_SOURCE_DIR "/docs/examples/checks"} / script;
        EXPECT_EQ(::access(file.c_str(), X_OK), 0) << file;
    }
}
