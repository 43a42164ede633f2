// exam-precheck given hostile input through its files: scripts that try to waive themselves or
// whose damaged reports once fell back to the exit code, suites with addresses, modes, versions
// and values of 30,000 characters, waivers without a readable approver, and suites naming
// cameras or rooms the site lacks.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::run_tool;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class PrecheckHostileInput : public exam::testing::TempDirTest {
protected:
    exam::SubprocessResult precheck(std::vector<std::string> args) const {
        return run_tool(EXAM_PRECHECK_BIN,
                        {.args = std::move(args), .working_directory = temp.path()});
    }

    // A script that prints `output` and exits with `exit_code`, and a command check running it.
    std::string script_check(const std::string& id, const std::string& output,
                             int exit_code = 0) const {
        temp.write(id + ".out", output);
        temp.write(id + ".sh",
                   "#!/bin/sh\ncat " + id + ".out\nexit " + std::to_string(exit_code) + "\n");
        std::filesystem::permissions(temp / (id + ".sh"), std::filesystem::perms::owner_all);
        return "[[check]]\nid = \"" + id + "\"\ntype = \"command\"\nargv = [\"./" + id +
               ".sh\"]\n\n";
    }

    nlohmann::json run_json(const std::string& suite) const {
        temp.write("suite.toml", suite);
        const auto result = precheck({"run", "--suite", "suite.toml", "--report", "json"});
        auto json = nlohmann::json::parse(result.standard_output, nullptr, false);
        EXPECT_FALSE(json.is_discarded()) << result.standard_output << result.standard_error;
        json["__exit"] = result.exit_code;
        return json;
    }

    // `lint` on one check: its exit code and standard error.
    exam::SubprocessResult lint(const std::string& suite,
                                std::vector<std::string> extra = {}) const {
        temp.write("suite.toml", suite);
        std::vector<std::string> args{"lint", "--suite", "suite.toml"};
        args.insert(args.end(), extra.begin(), extra.end());
        return precheck(args);
    }
};

}  // namespace

// --- check scripts -----------------------------------------------------------------------

TEST_F(PrecheckHostileInput, AScriptCannotWaiveItself) {
    const auto json = run_json(script_check("printer", "{\"status\": \"waived\"}\n"));
    const auto& check = json["checks"][0];
    EXPECT_EQ(check["status"], "error") << check.dump(2);
    EXPECT_TRUE(contains(check["message"], "only a waivers file waives")) << check.dump(2);
    EXPECT_TRUE(contains(check["message"], "pass, warn, fail, error or skip")) << check.dump(2);
    EXPECT_EQ(json["__exit"], 3);
}

// Each of these once fell back to the exit code, 0: a failing script passed.
TEST_F(PrecheckHostileInput, AFailingScriptsReportNeverFallsBackToTheExitCode) {
    const auto json =
        run_json(script_check("bom", "\xEF\xBB\xBF{\"status\":\"fail\"}\n") +
                 script_check("leading-space", "checking\n  {\"status\":\"fail\"}\r\n") +
                 script_check("trailing-text", "{\"status\":\"fail\"} done\n") +
                 script_check("two-objects", "{\"status\":\"fail\"}{\"status\":\"pass\"}\n") +
                 script_check("status-not-text", "{\"status\": 2}\n"));
    const auto& checks = json["checks"];
    EXPECT_EQ(checks[0]["status"], "fail") << checks.dump(2);
    EXPECT_EQ(checks[1]["status"], "fail") << checks.dump(2);
    for (std::size_t i = 2; i < 5; ++i) {
        EXPECT_EQ(checks[i]["status"], "error") << checks[i].dump(2);
    }
    EXPECT_TRUE(contains(checks[2]["message"], "is not one JSON object")) << checks[2].dump(2);
    EXPECT_EQ(json["__exit"], 2);
}

// A script's words reach the terminal through the one sanitiser: an escape sequence that would
// clear the screen is shown, not obeyed.
TEST_F(PrecheckHostileInput, AScriptsOutputReachesTheTerminalSanitised) {
    temp.write("suite.toml",
               script_check("report", "{\"status\": \"fail\", \"message\": \"\\u001b[2Jgone\"}\n") +
                   script_check("exit", "\x1b[31mred\n", 1));
    const auto result = precheck({"run", "--suite", "suite.toml"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_FALSE(contains(result.standard_output, "\x1b")) << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "\\e[2Jgone")) << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "\\e[31mred")) << result.standard_output;
}

// --- suites --------------------------------------------------------------------------------

TEST_F(PrecheckHostileInput, ValuesChecksCannotUseAreRefusedAtLoadWithTheirPlace) {
    struct Bad {
        std::string keys;
        std::string message;
    };
    const std::vector<Bad> bad{
        {"type = \"tcp\"\naddress = \"printer.local\"", "\"address\" must be HOST:PORT"},
        {"type = \"tcp\"\naddress = \"printer.local:99999\"", "a port from 1 to 65535"},
        {"type = \"tcp\"\naddress = \"printer.local:-1\"", "a port from 1 to 65535"},
        {"type = \"http\"\nurl = \"ftp://printer.local/\"",
         "\"url\" must be an HTTP or HTTPS address"},
        {"type = \"http\"\nurl = \"http:///status\"", "\"url\" must be an HTTP or HTTPS address"},
        {"type = \"file\"\npath = \"/\"\nmode = \"0999\"", "\"mode\" must be permission bits"},
        {"type = \"package\"\nname = \"cups\"\nversion = \"newest\"",
         "\"version\" must be a relation"},
    };
    for (const Bad& one : bad) {
        SCOPED_TRACE(one.keys);
        const auto result = lint("[[check]]\nid = \"a\"\n" + one.keys + "\n");
        EXPECT_EQ(result.exit_code, 78);
        EXPECT_TRUE(contains(result.standard_error, "suite.toml:")) << result.standard_error;
        EXPECT_TRUE(contains(result.standard_error, one.message)) << result.standard_error;
    }
    const auto kind =
        lint("[[check]]\nid = \"a\"\ntype = \"file\"\npath = \"/\"\nkind = \"dir\"\n");
    EXPECT_EQ(kind.exit_code, 78);
    EXPECT_TRUE(contains(kind.standard_error, "suite.toml:5:8:")) << kind.standard_error;
}

// std::regex recursed once per character of these values: the stack overflowed (a crash, and
// an AddressSanitizer report under the asan preset) instead of exit 78.
TEST_F(PrecheckHostileInput, ValuesOf30000CharactersAreRefusedNotACrash) {
    const std::string long_text(30000, 'a');
    const auto server =
        lint("[[check]]\nid = \"p\"\ntype = \"printer\"\nname = \"q\"\nserver = \"" + long_text +
             "!\"\n");
    EXPECT_EQ(server.exit_code, 78) << server.standard_error;
    EXPECT_TRUE(contains(server.standard_error, "suite.toml:5:1:")) << server.standard_error;
    EXPECT_LT(server.standard_error.size(), 1000u);
    const auto pattern = lint(
        "[[check]]\nid = \"c\"\ntype = \"command\"\nrun = \"true\"\n"
        "expect_output = \"" +
        long_text + "\"\n");
    EXPECT_EQ(pattern.exit_code, 78) << pattern.standard_error;
    EXPECT_TRUE(contains(pattern.standard_error, "suite.toml:5:1:")) << pattern.standard_error;
    EXPECT_TRUE(contains(pattern.standard_error, "at most 1000 are allowed"))
        << pattern.standard_error;
}

// A long output is searched without recursing over it.
TEST_F(PrecheckHostileInput, ExpectedOutputIsFoundInAHugeOutput) {
    const auto json = run_json(
        "[[check]]\nid = \"c\"\ntype = \"command\"\nrun = \"printf '%500000s' x; echo; echo "
        "ready\"\nexpect_output = \"^ *x\\\\s+ready\"\n");
    EXPECT_EQ(json["checks"][0]["status"], "pass") << json["checks"][0].dump(2);
}

// --- waivers -------------------------------------------------------------------------------

TEST_F(PrecheckHostileInput, AWaiverWithoutAReadableApproverIsRefusedAtItsLine) {
    temp.write("suite.toml", "[[check]]\nid = \"printer\"\ntype = \"command\"\nrun = \"exit 1\"\n");
    for (const std::string approver : {"", "  ", "Head\\u001b[2J", "Head\\u202eevil"}) {
        SCOPED_TRACE(approver);
        temp.write("waivers.toml",
                   "[[waiver]]\nid = \"printer\"\njustification = \"x\"\n"
                   "approved_by = \"" +
                       approver + "\"\nexpires = \"2099-12-31\"\n");
        const auto result = precheck({"run", "--suite", "suite.toml", "--waivers", "waivers.toml"});
        EXPECT_EQ(result.exit_code, 78);
        EXPECT_TRUE(contains(result.standard_error, "waivers.toml:4:")) << result.standard_error;
        EXPECT_TRUE(contains(result.standard_error, "\"approved_by\"")) << result.standard_error;
        EXPECT_FALSE(contains(result.standard_error, "\x1b")) << result.standard_error;
    }
}

// --- lint with the site --------------------------------------------------------------------

// `run` refused these (78) while `lint --site` called the suite valid.
TEST_F(PrecheckHostileInput, LintWithTheSiteRefusesCamerasAndRoomsTheSiteLacks) {
    temp.write("site.toml", R"(ppe_code = "0001"
region = "77"
name = "School 1"
timezone = "Europe/Moscow"
[[room]]
id = "0101"
[[room.camera]]
id = "0101-front"
uri = "rtsp://192.0.2.1/front"
)");
    const std::string site = (temp / "site.toml").string();
    const auto camera =
        lint("[[check]]\nid = \"cameras\"\ntype = \"camera\"\ncameras = [\"0101-frnt\"]\n",
             {"--site", site});
    EXPECT_EQ(camera.exit_code, 78);
    EXPECT_TRUE(contains(camera.standard_error, "suite.toml:1:1:")) << camera.standard_error;
    EXPECT_TRUE(contains(camera.standard_error, "has no camera \"0101-frnt\""))
        << camera.standard_error;
    EXPECT_TRUE(contains(camera.standard_error, "did you mean \"0101-front\"?"))
        << camera.standard_error;
    const auto room =
        lint("[[check]]\nid = \"cameras\"\ntype = \"camera\"\nroom = \"0102\"\n", {"--site", site});
    EXPECT_EQ(room.exit_code, 78);
    EXPECT_TRUE(contains(room.standard_error, "has no room \"0102\"")) << room.standard_error;
    const auto good =
        lint("[[check]]\nid = \"cameras\"\ntype = \"camera\"\ncameras = [\"0101-front\"]\n",
             {"--site", site});
    EXPECT_EQ(good.exit_code, 0) << good.standard_error;
}
