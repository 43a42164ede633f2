// The readiness protocol as the commission gets it: HTML rendered by headless Chromium to a
// PDF (A4), whose pages poppler counts and whose text poppler extracts. And the exam point's
// summary merged from the stations' JSON reports.
#include <regex>
#include <sstream>

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

// The text of the first element with this class attribute, its markup's escapes undone.
std::string element_text(const std::string& html, const std::string& class_name) {
    const auto at = html.find("class=\"" + class_name + "\"");
    if (at == std::string::npos) {
        return {};
    }
    const auto begin = html.find('>', at) + 1;
    const auto end = html.find("</", begin);
    std::string text = html.substr(begin, end - begin);
    for (const auto& [escaped, plain] : std::vector<std::pair<std::string, std::string>>{
             {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
        for (auto found = text.find(escaped); found != std::string::npos;
             found = text.find(escaped, found + plain.size())) {
            text.replace(found, escaped.size(), plain);
        }
    }
    return text;
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

    // The PDF's text line by line, as a person gets it who selects it in a PDF viewer.
    std::vector<std::string> printed_lines(const std::filesystem::path& html) const {
        print(html);
        const auto text = run_program({"pdftotext", (temp / "protocol.pdf").string(), "-"});
        std::vector<std::string> lines;
        std::istringstream in(text.standard_output);
        for (std::string line; std::getline(in, line);) {
            lines.push_back(line);
        }
        return lines;
    }

    exam::SubprocessResult journal(const std::vector<std::string>& args) const {
        return run_tool(EXAM_JOURNAL_BIN,
                        {.args = args, .working_directory = temp.path(), .environment = m_env});
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

// The paper must let the commission check the journal later: the whole signed checkpoint, the
// exam point's public key and its fingerprint, as text a person copies from the page.
class ProtocolCheckpoint : public PrecheckProtocol {
protected:
    void SetUp() override {
        PrecheckProtocol::SetUp();
        const auto init = journal({"init"});
        ASSERT_EQ(init.exit_code, 0) << init.standard_error;
        public_key = init.standard_output.substr(0, init.standard_output.find('\n'));
        const std::smatch found = [&] {
            std::smatch match;
            std::regex_search(init.standard_error, match,
                              std::regex{"fingerprint: ([0-9a-f]{4}(-[0-9a-f]{4}){7})"});
            return match;
        }();
        fingerprint = found.empty() ? "" : found[1].str();
        // Two entries before the run: the run's own is the third, which the paper covers.
        ASSERT_EQ(journal({"event", "--kind", "other", "--note", "one"}).exit_code, 0);
        ASSERT_EQ(journal({"event", "--kind", "other", "--note", "two"}).exit_code, 0);
        temp.write("good.toml", "[[check]]\nid = \"ok\"\ntype = \"command\"\nrun = \"true\"\n");
        const auto run =
            precheck({"run", "--suite", "good.toml", "--station", "server", "--exam", "math",
                      "--at", "2026-06-01 08:30", "--report", "html:protocol.html"});
        ASSERT_EQ(run.exit_code, 0) << run.standard_error;
        html = exam::testing::read_file(temp / "protocol.html");
    }

    // Cuts the journal back to its first two entries, with their checkpoints and tree state:
    // self-consistent again, so that only a checkpoint kept outside can tell.
    void cut_the_tail() const {
        const auto result = exam::run_subprocess(
            {.argv = {"sqlite3", (temp / "data" / "journal.sqlite").string(),
                      "DROP TRIGGER IF EXISTS entry_no_delete; DROP TRIGGER IF EXISTS "
                      "checkpoint_no_delete; DELETE FROM entry WHERE seq >= 2; DELETE FROM "
                      "checkpoint WHERE tree_size > 2; UPDATE tree_state SET size = 2, peaks = "
                      "(SELECT root_hash FROM checkpoint WHERE tree_size = 2);"
                      // The guards back as examkit writes them: verify compares the schema.
                      "CREATE TRIGGER entry_no_delete BEFORE DELETE ON entry\nBEGIN SELECT "
                      "RAISE(ABORT, 'the journal is append-only: entries cannot be deleted'); "
                      "END; CREATE TRIGGER checkpoint_no_delete BEFORE DELETE ON checkpoint\n"
                      "BEGIN SELECT RAISE(ABORT, 'checkpoints cannot be deleted'); END;"}});
        ASSERT_EQ(result.exit_code, 0) << result.standard_error;
        ASSERT_EQ(journal({"verify"}).exit_code, 0);
    }

    std::string public_key;
    std::string fingerprint;
    std::string html;
};

TEST_F(ProtocolCheckpoint, TheHtmlCarriesTheWholeSignedCheckpointTheKeyAndItsFingerprint) {
    EXPECT_FALSE(fingerprint.empty()) << "exam-journal init printed no fingerprint";
    const std::string note = journal({"checkpoint"}).standard_output;
    ASSERT_TRUE(contains(note, "\n3\n")) << note;
    EXPECT_EQ(element_text(html, "checkpoint"), note) << html;
    EXPECT_EQ(element_text(html, "public-key"), public_key) << html;
    EXPECT_EQ(element_text(html, "fingerprint"), fingerprint) << html;

    temp.write("copied.checkpoint", element_text(html, "checkpoint"));
    const auto accepted = journal({"verify", "--checkpoint", "copied.checkpoint", "--public-key",
                                   element_text(html, "public-key")});
    EXPECT_EQ(accepted.exit_code, 0) << accepted.standard_output << accepted.standard_error;
    cut_the_tail();
    const auto refused = journal({"verify", "--checkpoint", "copied.checkpoint"});
    EXPECT_EQ(refused.exit_code, 2) << refused.standard_output << refused.standard_error;
    EXPECT_TRUE(contains(refused.standard_output, "the journal was cut"))
        << refused.standard_output;
}

TEST_F(ProtocolCheckpoint, TheCheckpointCopiedFromThePrintedPageIsAcceptedAndCatchesACutTail) {
    const auto lines = printed_lines(temp / "protocol.html");
    // A person selects from the origin line to the signature line, and the key's line.
    std::string copied;
    std::string copied_key;
    enum class Selection { before, inside, after } selection = Selection::before;
    for (const std::string& line : lines) {
        if (line.rfind("examkit/ppe/77/0042+", 0) == 0) {
            copied_key = line;
        } else if (selection == Selection::before && line == "examkit/ppe/77/0042") {
            selection = Selection::inside;
        }
        if (selection == Selection::inside) {
            copied += line + "\n";
            if (line.rfind("\u2014 ", 0) == 0) {
                selection = Selection::after;
            }
        }
    }
    ASSERT_TRUE(contains(copied, "\u2014 examkit/ppe/77/0042 ")) << copied;
    EXPECT_EQ(copied_key, public_key);
    std::string words;
    for (const std::string& line : lines) {
        words += line + " ";
    }
    EXPECT_TRUE(contains(words, fingerprint)) << words;

    temp.write("copied.checkpoint", copied);
    const auto accepted =
        journal({"verify", "--checkpoint", "copied.checkpoint", "--public-key", copied_key});
    EXPECT_EQ(accepted.exit_code, 0)
        << copied << accepted.standard_output << accepted.standard_error;
    EXPECT_TRUE(contains(accepted.standard_output, "extends the given checkpoint at tree size 3"))
        << accepted.standard_output;
    cut_the_tail();
    const auto refused =
        journal({"verify", "--checkpoint", "copied.checkpoint", "--public-key", copied_key});
    EXPECT_EQ(refused.exit_code, 2) << refused.standard_output;
    EXPECT_TRUE(contains(refused.standard_output, "the journal was cut"))
        << refused.standard_output;
}

// Why the paper's checkpoint was refused: the protocol printed the origin, size and root, which
// the Python recipe of docs/journal-format.md accepts, but no signature, so 'verify
// --checkpoint' could only say "not a checkpoint signed by". Such a paper (the protocols printed
// before) is checked by its size and root, and verify says that this is what it did.
TEST_F(ProtocolCheckpoint, APaperWithOnlySizeAndRootIsCheckedByThemAndSaysSo) {
    const std::string note = journal({"checkpoint"}).standard_output;
    const std::string text = note.substr(0, note.find("\n\n") + 1);  // origin, size, root
    temp.write("unsigned.checkpoint", text);
    // The recipe of docs/journal-format.md, run as printed there, accepts it.
    const std::string doc = exam::testing::read_file(EXAM_SOURCE_DIR "/docs/journal-format.md");
    const auto recipe_at = doc.find("```python\n", doc.find("## Checking a checkpoint by hand"));
    ASSERT_NE(recipe_at, std::string::npos);
    const auto recipe_begin = recipe_at + std::string_view{"```python\n"}.size();
    temp.write("check_checkpoint.py",
               doc.substr(recipe_begin, doc.find("```", recipe_begin) - recipe_begin));
    ASSERT_EQ(journal({"export", "--format", "jsonl", "-o", "leaves.jsonl"}).exit_code, 0);
    const auto python = exam::run_subprocess(
        {.argv = {"python3", (temp / "check_checkpoint.py").string(),
                  (temp / "leaves.jsonl").string(), (temp / "unsigned.checkpoint").string()}});
    EXPECT_EQ(python.standard_output, "checkpoint matches\n") << python.standard_error;
    const std::string root = text.substr(text.rfind('\n', text.size() - 2) + 1,
                                         text.size() - text.rfind('\n', text.size() - 2) - 2);

    const auto unsigned_file = journal({"verify", "--checkpoint", "unsigned.checkpoint"});
    EXPECT_EQ(unsigned_file.exit_code, 65)
        << unsigned_file.standard_output << unsigned_file.standard_error;
    EXPECT_TRUE(contains(unsigned_file.standard_error, "--size 3 --root " + root))
        << unsigned_file.standard_error;

    const auto by_paper = journal({"verify", "--size", "3", "--root", root});
    EXPECT_EQ(by_paper.exit_code, 0) << by_paper.standard_output << by_paper.standard_error;
    EXPECT_TRUE(contains(by_paper.standard_output, "the paper's size and root, not a signature"))
        << by_paper.standard_output;
    cut_the_tail();
    const auto cut = journal({"verify", "--size", "3", "--root", root});
    EXPECT_EQ(cut.exit_code, 2) << cut.standard_output;
    EXPECT_TRUE(contains(cut.standard_output, "the journal was cut")) << cut.standard_output;
}
