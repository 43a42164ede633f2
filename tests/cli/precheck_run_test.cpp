// exam-precheck run against real things on this machine: files, processes, commands, a TCP
// listener, an HTTP server on loopback, and one that accepts and never answers.
#include <atomic>
#include <regex>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/background_process.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::run_tool;
using exam::testing::SilentListener;
using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class PrecheckRun : public exam::testing::TempDirTest {
protected:
    exam::SubprocessResult run(const std::string& suite,
                               std::vector<std::string> extra = {}) const {
        temp.write("suite.toml", suite);
        std::vector<std::string> args{"run", "--suite", (temp / "suite.toml").string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_tool(EXAM_PRECHECK_BIN, {.args = args, .working_directory = temp.path()});
    }

    nlohmann::json run_json(const std::string& suite, std::vector<std::string> extra = {}) const {
        extra.insert(extra.end(), {"--report", "json"});
        const auto result = run(suite, extra);
        EXPECT_TRUE(result.exited()) << result.standard_error;
        auto json = nlohmann::json::parse(result.standard_output, nullptr, false);
        EXPECT_FALSE(json.is_discarded()) << result.standard_output << result.standard_error;
        json["__exit"] = result.exit_code;
        return json;
    }
};

}  // namespace

TEST_F(PrecheckRun, AllPassingExitsZeroAndRecordsObservedValues) {
    temp.write("expected.txt", "hello");
    const auto json = run_json(R"(
[[check]]
id = "file"
type = "file"
path = "expected.txt"
kind = "file"
min_size = "5"
sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

[[check]]
id = "this-process"
type = "process"
name = "exam-precheck"

[[check]]
id = "disk"
type = "disk"
path = "."
min_free = "1KB"
)");
    EXPECT_EQ(json["__exit"], 0);
    ASSERT_EQ(json["checks"].size(), 3u);
    for (const auto& check : json["checks"]) {
        EXPECT_EQ(check["status"], "pass") << check.dump();
    }
    EXPECT_EQ(json["checks"][0]["observed"]["value"], 5);
    EXPECT_EQ(json["checks"][0]["observed"]["unit"], "bytes");
    EXPECT_GE(json["checks"][1]["observed"]["value"].get<double>(), 1);
    EXPECT_EQ(json["checks"][2]["observed"]["unit"], "bytes");
}

TEST_F(PrecheckRun, AFailedWarningSeverityCheckIsAWarningAndExitsOne) {
    const auto json = run_json(R"(
[[check]]
id = "optional-file"
type = "file"
path = "missing.txt"
severity = "warning"
hint = "Copy the file from the regional centre's portal"
)");
    EXPECT_EQ(json["__exit"], 1);
    EXPECT_EQ(json["checks"][0]["status"], "warn");
    EXPECT_EQ(json["checks"][0]["hint"], "Copy the file from the regional centre's portal");
}

TEST_F(PrecheckRun, ACriticalFailureExitsTwoAndSaysWhatWasExpectedAndFound) {
    const auto result = run(R"(
[[check]]
id = "needed-process"
title = "The printing service runs"
type = "process"
name = "no-such-process-x"
hint = "Start the printing service"
)");
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_TRUE(
        contains(result.standard_output, "expected: at least 1 process named no-such-process-x"))
        << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "found:    0 processes"))
        << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "to do:    Start the printing service"))
        << result.standard_output;
}

TEST_F(PrecheckRun, ACheckThatCouldNotRunIsAnErrorNotAFailAndExitsThree) {
    const auto json = run_json(R"(
[[check]]
id = "slow-script"
type = "command"
run = "sleep 30"
timeout = "300ms"
)");
    EXPECT_EQ(json["__exit"], 3);
    EXPECT_EQ(json["checks"][0]["status"], "error");
    EXPECT_TRUE(contains(json["checks"][0]["message"], "did not finish within 300ms"));
}

TEST_F(PrecheckRun, AFailureOutranksAnErrorInTheExitCode) {
    const auto json = run_json(R"(
[[check]]
id = "slow"
type = "command"
run = "sleep 30"
timeout = "300ms"

[[check]]
id = "failing"
type = "command"
run = "exit 4"
)");
    EXPECT_EQ(json["__exit"], 2);
    EXPECT_EQ(json["checks"][1]["status"], "fail");
    EXPECT_EQ(json["checks"][1]["observed"]["value"], 4);
}

TEST_F(PrecheckRun, HttpCheckAgainstARealServerOnLoopback) {
    // Python's own http.server, started on a free port and stopped by its process id; the
    // checks retry until it listens.
    const int port = SilentListener{}.port();  // a port the kernel just handed out, now free again
    temp.write("www/index.html", "ok");
    const pid_t server = ::fork();
    if (server == 0) {
        ::chdir((temp / "www").c_str());
        ::execl("/usr/bin/python3", "python3", "-m", "http.server", "--bind", "127.0.0.1",
                std::to_string(port).c_str(), nullptr);
        ::_exit(127);
    }
    const std::string suite =
        "[[check]]\nid = \"web\"\ntype = \"http\"\nurl = \"http://127.0.0.1:" +
        std::to_string(port) +
        "/index.html\"\nretries = 20\nretry_delay = \"250ms\"\n\n"
        "[[check]]\nid = \"missing-page\"\ntype = \"http\"\nurl = \"http://127.0.0.1:" +
        std::to_string(port) +
        "/nope\"\nexpect_status = 404\nretries = 20\nretry_delay = \"250ms\"\n";
    const auto json = run_json(suite);
    ::kill(server, SIGTERM);
    ::waitpid(server, nullptr, 0);
    EXPECT_EQ(json["__exit"], 0) << json.dump(2);
    EXPECT_EQ(json["checks"][0]["observed"]["value"], 200);
    EXPECT_EQ(json["checks"][1]["observed"]["value"], 404);
}

// The http check over libcurl: redirects followed or not, too many of them, HTTPS with a
// certificate no one vouches for (refused unless verify_tls = false).
TEST_F(PrecheckRun, HttpCheckFollowsRedirectsAndJudgesHttpsCertificates) {
    const auto start_server = [&](const std::vector<std::string>& extra, const char* log) {
        std::vector<std::string> argv{"/usr/bin/python3",
                                      EXAM_SOURCE_DIR "/tests/fixtures/http_server.py"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return std::make_unique<exam::testing::BackgroundProcess>(argv, temp / log);
    };
    const auto plain = start_server({}, "http.log");
    const auto tls = start_server({"--tls"}, "https.log");
    const auto plain_ready = plain->wait_for_line("READY ", 20s);
    const auto tls_ready = tls->wait_for_line("READY ", 20s);
    ASSERT_TRUE(plain_ready && tls_ready) << exam::testing::read_file(temp / "https.log");
    const std::string http = "http://127.0.0.1:" + plain_ready->substr(6);
    const std::string https = "https://127.0.0.1:" + tls_ready->substr(6);
    const auto check = [](const std::string& id, const std::string& url,
                          const std::string& extra = "") {
        return "[[check]]\nid = \"" + id + "\"\ntype = \"http\"\nurl = \"" + url + "\"\n" + extra +
               "\n";
    };
    const auto json = run_json(
        check("moved", http + "/moved") +
        check("moved-kept", http + "/moved", "follow_redirects = false\nexpect_status = 302") +
        check("loop", http + "/loop") + check("untrusted", https + "/ok") +
        check("own-certificate", https + "/ok", "verify_tls = false"));
    const auto& checks = json["checks"];
    EXPECT_EQ(checks[0]["status"], "pass") << json.dump(2);
    EXPECT_TRUE(contains(checks[0]["message"], "redirected to " + http + "/ok")) << json.dump(2);
    EXPECT_EQ(checks[1]["status"], "pass") << json.dump(2);
    EXPECT_EQ(checks[1]["observed"]["value"], 302);
    EXPECT_EQ(checks[2]["status"], "error") << json.dump(2);
    EXPECT_TRUE(contains(checks[2]["message"], "redirected more than 5 times")) << json.dump(2);
    EXPECT_EQ(checks[3]["status"], "fail") << json.dump(2);
    EXPECT_TRUE(contains(checks[3]["message"], "certificate is not trusted")) << json.dump(2);
    EXPECT_TRUE(contains(checks[3]["message"], "verify_tls = false")) << json.dump(2);
    EXPECT_EQ(checks[4]["status"], "pass") << json.dump(2);
    EXPECT_EQ(checks[4]["observed"]["value"], 200);
}

TEST_F(PrecheckRun, AServerThatAcceptsAndNeverAnswersIsCutOffAtTheTimeout) {
    SilentListener silent;
    const std::string suite =
        "[[check]]\nid = \"hung\"\ntype = \"http\"\nurl = \"http://127.0.0.1:" +
        std::to_string(silent.port()) +
        "/\"\ntimeout = \"700ms\"\n\n"
        "[[check]]\nid = \"quick\"\ntype = \"command\"\nrun = \"true\"\n";
    const auto start = std::chrono::steady_clock::now();
    const auto json = run_json(suite);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(json["__exit"], 3);
    EXPECT_EQ(json["checks"][0]["status"], "error");
    EXPECT_TRUE(contains(json["checks"][0]["message"], "did not answer")) << json.dump(2);
    EXPECT_EQ(json["checks"][1]["status"], "pass");
    // Cut off, not waited out: nowhere near the 30 s such a call can block for.
    EXPECT_LT(took, 20s);
}

TEST_F(PrecheckRun, ACheckStuckInABlockingCallIsKilledAtItsDeadline) {
    // Opening a FIFO to hash it blocks inside open() until a writer comes, which never does:
    // only killing the check's process ends it.
    ASSERT_EQ(::mkfifo((temp / "fifo").c_str(), 0600), 0);
    const auto start = std::chrono::steady_clock::now();
    const auto json = run_json(R"(
[[check]]
id = "stuck"
type = "file"
path = "fifo"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
timeout = "400ms"
)");
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(json["__exit"], 3);
    EXPECT_EQ(json["checks"][0]["status"], "error");
    EXPECT_TRUE(
        contains(json["checks"][0]["message"], "did not finish within its timeout of 400ms"))
        << json.dump(2);
    EXPECT_LT(took, 20s);
}

TEST_F(PrecheckRun, TcpCheckConnectsToAListener) {
    SilentListener listener;
    const auto json = run_json("[[check]]\nid = \"port\"\ntype = \"tcp\"\naddress = \"127.0.0.1:" +
                               std::to_string(listener.port()) + "\"\n");
    EXPECT_EQ(json["checks"][0]["status"], "pass");
    EXPECT_EQ(json["checks"][0]["observed"]["unit"], "ms");
}

TEST_F(PrecheckRun, RetriesUntilTheCheckPasses) {
    const auto json = run_json(R"(
[[check]]
id = "flaky"
type = "command"
run = "test -f second-try || { touch second-try; exit 1; }"
retries = 2
retry_delay = "10ms"
)");
    EXPECT_EQ(json["checks"][0]["status"], "pass");
    EXPECT_EQ(json["checks"][0]["attempts"], 2);
}

TEST_F(PrecheckRun, AScriptCanReportItsOwnStatusAndObservedValue) {
    temp.write("check-printer.sh",
               "#!/bin/sh\necho 'looking at the printer'\n"
               "echo '{\"status\": \"warn\", \"message\": \"toner low\", \"observed\": {\"value\": "
               "12, \"unit\": \"%\"}}'\n");
    std::filesystem::permissions(temp / "check-printer.sh", std::filesystem::perms::owner_all);
    const auto json = run_json(
        "[[check]]\nid = \"printer\"\ntype = \"command\"\nargv = [\"./check-printer.sh\"]\n");
    EXPECT_EQ(json["checks"][0]["status"], "warn");
    EXPECT_EQ(json["checks"][0]["message"], "toner low");
    EXPECT_EQ(json["checks"][0]["observed"]["value"], 12);
    EXPECT_EQ(json["__exit"], 1);
}

TEST_F(PrecheckRun, ExclusiveChecksNeverOverlap) {
    std::string suite;
    for (int i = 0; i < 3; ++i) {
        suite += "[[check]]\nid = \"camera-" + std::to_string(i) +
                 "\"\ntype = \"command\"\nexclusive = true\nrun = \"echo start >> opens.log; sleep "
                 "0.2; echo end >> opens.log\"\n\n";
    }
    const auto json = run_json(suite, {"--jobs", "3"});
    EXPECT_EQ(json["__exit"], 0);
    EXPECT_EQ(exam::testing::read_file(temp / "opens.log"), "start\nend\nstart\nend\nstart\nend\n");
}

TEST_F(PrecheckRun, OnlyAndTagSelectChecksAndResultsKeepTheSuitesOrder) {
    const std::string suite = R"(
[[check]]
id = "a"
type = "command"
run = "sleep 0.3"
tags = ["server"]

[[check]]
id = "b"
type = "command"
run = "true"
tags = ["room"]

[[check]]
id = "c"
type = "command"
run = "true"
tags = ["server"]
)";
    const auto all = run_json(suite);
    ASSERT_EQ(all["checks"].size(), 3u);
    EXPECT_EQ(all["checks"][0]["id"], "a");  // the slowest still comes first
    EXPECT_EQ(run_json(suite, {"--tag", "server"})["checks"].size(), 2u);
    EXPECT_EQ(run_json(suite, {"--only", "b"})["checks"][0]["id"], "b");
    EXPECT_EQ(run(suite, {"--only", "zzz"}).exit_code, 64);
}

TEST_F(PrecheckRun, JsonReportHasItsDocumentedShape) {
    const auto json =
        run_json("[[check]]\nid = \"t\"\ntitle = \"True\"\ntype = \"command\"\nrun = \"true\"\n",
                 {"--station", "hq-server"});
    EXPECT_EQ(json["version"], 1);
    EXPECT_EQ(json["station"], "hq-server");
    EXPECT_TRUE(json.contains("time"));
    EXPECT_TRUE(json.contains("exam"));
    EXPECT_TRUE(json.contains("seconds_before_start"));
    for (const char* key : {"id", "title", "status", "severity", "observed", "expected", "message",
                            "hint", "duration_ms"}) {
        EXPECT_TRUE(json["checks"][0].contains(key)) << key;
    }
}

TEST_F(PrecheckRun, ReportsGoToFilesToo) {
    const auto result =
        run("[[check]]\nid = \"t\"\ntype = \"command\"\nrun = \"true\"\n",
            {"--report", "json:" + (temp / "report.json").string(), "--report", "text"});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_TRUE(contains(result.standard_output, "1 checks: 1 pass"));
    EXPECT_EQ(nlohmann::json::parse(
                  exam::testing::read_file(temp / "report.json"))["checks"][0]["status"],
              "pass");
}

TEST_F(PrecheckRun, ReportsToFilesAloneStillShowTheTextReportOnTheTerminal) {
    const std::string suite = "[[check]]\nid = \"t\"\ntype = \"command\"\nrun = \"true\"\n";
    const auto files_only =
        run(suite, {"--report", "json:report.json", "--report", "html:protocol.html"});
    EXPECT_EQ(files_only.exit_code, 0) << files_only.standard_error;
    // The table's line for the check, and the summary.
    EXPECT_TRUE(std::regex_search(files_only.standard_output, std::regex{"\npass +t "}))
        << files_only.standard_output;
    EXPECT_TRUE(contains(files_only.standard_output, "1 checks: 1 pass"))
        << files_only.standard_output;
    EXPECT_TRUE(std::filesystem::exists(temp / "report.json"));
    EXPECT_TRUE(std::filesystem::exists(temp / "protocol.html"));

    // --quiet leaves the terminal to the files' own notes.
    const auto quiet = run(suite, {"--quiet", "--report", "json:quiet.json"});
    EXPECT_EQ(quiet.exit_code, 0) << quiet.standard_error;
    EXPECT_EQ(quiet.standard_output, "");
    EXPECT_TRUE(std::filesystem::exists(temp / "quiet.json"));

    // A report that goes to standard output itself is not mixed with the text one.
    const auto json_out = run(suite, {"--report", "json", "--report", "html:protocol.html"});
    EXPECT_FALSE(nlohmann::json::parse(json_out.standard_output, nullptr, false).is_discarded())
        << json_out.standard_output;
}

TEST_F(PrecheckRun, ABadSuiteExits78WithItsPlace) {
    const auto result = run("[[check]]\nid = \"a\"\ntype = \"disk\"\npath = \"/\"\n");
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error, "suite.toml:1:1:")) << result.standard_error;
}

TEST_F(PrecheckRun, ABareProgramNameIsTheSuitesScriptWhenThereElseFromPath) {
    temp.write("station/printer-ready", "#!/bin/sh\nexit 0\n");
    std::filesystem::permissions(temp / "station/printer-ready", std::filesystem::perms::owner_all);
    temp.write("station/suite.toml",
               "[[check]]\nid = \"own-script\"\ntype = \"command\"\nargv = [\"printer-ready\"]\n\n"
               "[[check]]\nid = \"from-path\"\ntype = \"command\"\nargv = [\"true\"]\n");
    const auto result = run_tool(
        EXAM_PRECHECK_BIN,
        {.args = {"run", "--suite", "station/suite.toml"}, .working_directory = temp.path()});
    EXPECT_EQ(result.exit_code, 0) << result.standard_output << result.standard_error;
}

TEST_F(PrecheckRun, RelativeProgramsResolveInTheSuitesFolderWhateverTheWorkingDirectory) {
    temp.write("station/checks/ok.sh", "#!/bin/sh\nexit 0\n");
    std::filesystem::permissions(temp / "station/checks/ok.sh", std::filesystem::perms::owner_all);
    temp.write("station/suite.toml",
               "[[check]]\nid = \"script\"\ntype = \"command\"\nargv = [\"checks/ok.sh\"]\n");
    const auto result = run_tool(
        EXAM_PRECHECK_BIN,
        {.args = {"run", "--suite", "station/suite.toml"}, .working_directory = temp.path()});
    EXPECT_EQ(result.exit_code, 0) << result.standard_output << result.standard_error;
}

TEST_F(PrecheckRun, MemoryAndCpuLoadReadThisMachine) {
    const auto json = run_json(R"(
[[check]]
id = "memory-ok"
type = "memory"
min_available = "1MB"

[[check]]
id = "memory-too-much"
type = "memory"
min_available = "1000TB"

[[check]]
id = "load-ok"
type = "cpu-load"
max_load = 100000

[[check]]
id = "load-zero"
type = "cpu-load"
max_load = 0
)");
    EXPECT_EQ(json["checks"][0]["status"], "pass");
    EXPECT_EQ(json["checks"][0]["observed"]["unit"], "bytes");
    EXPECT_EQ(json["checks"][1]["status"], "fail");
    EXPECT_EQ(json["checks"][2]["status"], "pass");
    // Only an idle machine has a load of 0; the verdict must follow what was read.
    const double load = json["checks"][3]["observed"]["value"].get<double>();
    EXPECT_GE(load, 0.0);
    EXPECT_EQ(json["checks"][3]["status"], load > 0 ? "fail" : "pass");
}

TEST_F(PrecheckRun, DnsResolvesLocalhost) {
    const auto json = run_json(R"(
[[check]]
id = "localhost"
type = "dns"
name = "localhost"
expect_address = "127.0.0.1"

[[check]]
id = "wrong-address"
type = "dns"
name = "localhost"
expect_address = "10.9.8.7"
)");
    EXPECT_EQ(json["checks"][0]["status"], "pass") << json.dump(2);
    EXPECT_EQ(json["checks"][1]["status"], "fail");
}

TEST_F(PrecheckRun, PackageVersionsFollowDpkgsRules) {
    const auto json = run_json(R"(
[[check]]
id = "installed"
type = "package"
name = "coreutils"
version = ">= 8.0"

[[check]]
id = "too-old"
type = "package"
name = "coreutils"
version = ">= 99"

[[check]]
id = "absent"
type = "package"
name = "examkit-no-such-package"
)");
    EXPECT_EQ(json["checks"][0]["status"], "pass") << json.dump(2);
    EXPECT_FALSE(json["checks"][0]["observed"]["value"].get<std::string>().empty());
    EXPECT_EQ(json["checks"][1]["status"], "fail");
    EXPECT_EQ(json["checks"][2]["status"], "fail");
}

TEST_F(PrecheckRun, ServiceAsksSystemctl) {
    // A stand-in systemctl first in PATH: this machine runs no systemd.
    temp.write("bin/systemctl",
               "#!/bin/sh\ncase \"$2\" in cups) echo active ;; *) echo inactive; exit 3 ;; esac\n");
    std::filesystem::permissions(temp / "bin/systemctl", std::filesystem::perms::owner_all);
    temp.write("suite.toml",
               "[[check]]\nid = \"cups\"\ntype = \"service\"\nunit = \"cups\"\n\n"
               "[[check]]\nid = \"ssh\"\ntype = \"service\"\nunit = \"ssh\"\n");
    const auto result =
        run_tool(EXAM_PRECHECK_BIN,
                 {.args = {"run", "--suite", (temp / "suite.toml").string(), "--report", "json"},
                  .working_directory = temp.path(),
                  .environment = {
                      {"PATH", (temp / "bin").string() + ":" + std::string{std::getenv("PATH")}}}});
    const auto json = nlohmann::json::parse(result.standard_output);
    EXPECT_EQ(json["checks"][0]["status"], "pass");
    EXPECT_EQ(json["checks"][1]["status"], "fail");
    EXPECT_EQ(json["checks"][1]["observed"]["value"], "inactive");
}

TEST_F(PrecheckRun, ServiceWithoutSystemdCouldNotBeChecked) {
    // No systemd answers here (a build machine): systemctl explains on stderr only.
    temp.write("bin/systemctl",
               "#!/bin/sh\necho 'System has not been booted with systemd as init system (PID 1).' "
               ">&2\nexit 1\n");
    std::filesystem::permissions(temp / "bin/systemctl", std::filesystem::perms::owner_all);
    temp.write("suite.toml", "[[check]]\nid = \"cups\"\ntype = \"service\"\nunit = \"cups\"\n");
    const auto result =
        run_tool(EXAM_PRECHECK_BIN,
                 {.args = {"run", "--suite", (temp / "suite.toml").string(), "--report", "json"},
                  .working_directory = temp.path(),
                  .environment = {
                      {"PATH", (temp / "bin").string() + ":" + std::string{std::getenv("PATH")}}}});
    EXPECT_EQ(result.exit_code, 3);
    const auto json = nlohmann::json::parse(result.standard_output);
    EXPECT_EQ(json["checks"][0]["status"], "error");
    EXPECT_TRUE(contains(json["checks"][0]["message"], "not been booted with systemd"));
}

TEST_F(PrecheckRun, WindowPassesInsideTheCheckWindowAndWarnsOutside) {
    temp.write("site.toml", R"(ppe_code = "0001"
region = "77"
name = "x"
timezone = "Europe/Moscow"
[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "3h55m"
check_lead = "2h"
)");
    const std::string suite = "[[check]]\nid = \"window\"\ntype = \"window\"\n";
    const std::string site = (temp / "site.toml").string();
    const auto inside =
        run_json(suite, {"--site", site, "--exam", "math", "--at", "2026-06-01 08:30"});
    EXPECT_EQ(inside["checks"][0]["status"], "pass") << inside.dump(2);
    EXPECT_EQ(inside["checks"][0]["observed"]["value"], 90);
    EXPECT_EQ(inside["seconds_before_start"], 5400);
    EXPECT_EQ(inside["exam"], "math");
    const auto early =
        run_json(suite, {"--site", site, "--exam", "math", "--at", "2026-06-01 06:00"});
    EXPECT_EQ(early["checks"][0]["status"], "warn");
    EXPECT_EQ(early["__exit"], 1);
    const auto no_exam = run_json(suite);
    EXPECT_EQ(no_exam["checks"][0]["status"], "skip");
    EXPECT_EQ(no_exam["__exit"], 0);
}

namespace {

// One of each outcome, with a hostile message, for the report formats.
const std::string k_mixed_suite = R"(
[[check]]
id = "passes"
type = "command"
run = "true"

[[check]]
id = "warns"
type = "command"
run = "exit 1"
severity = "warning"

[[check]]
id = "fails"
type = "command"
run = "echo '<b>&\"quoted\" line' >&2; exit 2"

[[check]]
id = "errors"
type = "command"
run = "sleep 30"
timeout = "200ms"

[[check]]
id = "skips"
type = "window"
)";

}  // namespace

TEST_F(PrecheckRun, JunitReportParsesAsXmlWithEachOutcome) {
    const auto result = run(k_mixed_suite, {"--report", "junit:" + (temp / "report.xml").string()});
    EXPECT_EQ(result.exit_code, 2);
    // Python's own XML parser is the judge.
    const auto parsed = exam::run_subprocess(
        {.argv = {"/usr/bin/python3", "-c",
                  "import sys, xml.etree.ElementTree as ET\n"
                  "root = ET.parse(sys.argv[1]).getroot()\n"
                  "cases = root.findall('.//testcase')\n"
                  "print(root.get('tests'), root.get('failures'), root.get('errors'), "
                  "root.get('skipped'),\n"
                  "      len(cases), cases[2].find('failure').text.splitlines()[0])\n",
                  (temp / "report.xml").string()}});
    ASSERT_EQ(parsed.exit_code, 0) << parsed.standard_error;
    EXPECT_EQ(parsed.standard_output, "5 1 1 1 5 fails\n");
    EXPECT_TRUE(contains(exam::testing::read_file(temp / "report.xml"),
                         "&lt;b&gt;&amp;&quot;quoted&quot;"));
}

TEST_F(PrecheckRun, TapReportHasAPlanAndOneLinePerCheck) {
    const auto result = run(k_mixed_suite, {"--report", "tap"});
    const std::string& tap = result.standard_output;
    EXPECT_EQ(tap.rfind("TAP version 13\n1..5\n", 0), 0u) << tap;
    EXPECT_TRUE(contains(tap, "\nok 1 - passes\n")) << tap;
    EXPECT_TRUE(contains(tap, "\nok 2 - warns # TODO warn:")) << tap;
    EXPECT_TRUE(contains(tap, "\nnot ok 3 - fails\n")) << tap;
    EXPECT_TRUE(contains(tap, "\nnot ok 4 - errors\n")) << tap;
    EXPECT_TRUE(contains(tap, "\nok 5 - skips # SKIP skip:")) << tap;
}

TEST_F(PrecheckRun, PrometheusReportIsTheTextfileFormat) {
    const auto result =
        run(k_mixed_suite, {"--station", "room \"0101\"", "--report", "prometheus"});
    const std::string& text = result.standard_output;
    // Every line is a comment or `name{labels} value`, as node_exporter's textfile collector reads.
    const auto checked = exam::run_subprocess({.argv = {"/usr/bin/python3", "-c", R"PY(
import re, sys
metric = re.compile(r'^[a-z_]+\{(?:[a-z_]+="(?:[^"\\]|\\.)*",?)*\} -?[0-9.e+]+$')
bad = [l for l in sys.stdin.read().splitlines() if not l.startswith('#') and not metric.match(l)]
print(len(bad), bad[:1])
)PY"},
                                               .standard_input = text});
    EXPECT_EQ(checked.standard_output, "0 []\n") << text;
    EXPECT_TRUE(contains(text,
                         "examkit_precheck_status{station=\"room "
                         "\\\"0101\\\"\",check=\"fails\",severity=\"critical\",status=\"fail\"} 1"))
        << text;
    EXPECT_TRUE(contains(text,
                         "examkit_precheck_observed{station=\"room "
                         "\\\"0101\\\"\",check=\"fails\",unit=\"exit code\"} 2"))
        << text;
}

TEST_F(PrecheckRun, ABadReportFormatOrWaiversFileStopsTheRunBeforeAnyCheckRuns) {
    const std::string suite = "[[check]]\nid = \"t\"\ntype = \"command\"\nrun = \"touch ran\"\n";
    EXPECT_EQ(run(suite, {"--report", "json:a.json", "--report", "pdf"}).exit_code, 64);
    temp.write("waivers.toml", "[[waiver]]\nid = \"t\"\n");
    EXPECT_EQ(run(suite, {"--waivers", (temp / "waivers.toml").string()}).exit_code, 78);
    EXPECT_FALSE(std::filesystem::exists(temp / "ran"));
    EXPECT_FALSE(std::filesystem::exists(temp / "a.json"));
}

TEST_F(PrecheckRun, AMisspeltOptionSuggestsTheRightOneRatherThanAMissingSuite) {
    temp.write("suite.toml", "[[check]]\nid = \"t\"\ntype = \"command\"\nrun = \"touch ran\"\n");
    const auto result = run_tool(EXAM_PRECHECK_BIN, {.args = {"run", "--suit", "suite.toml"},
                                                     .working_directory = temp.path()});
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_TRUE(contains(result.standard_error,
                         "exam-precheck: error: unknown option \"--suit\" for exam-precheck run; "
                         "did you mean \"--suite\"?"))
        << result.standard_error;
    EXPECT_FALSE(std::filesystem::exists(temp / "ran"));
}

TEST_F(PrecheckRun, AMisspeltOnlySuggestsTheRightCheckAndRunsNothing) {
    const auto result = run(
        "[[check]]\nid = \"printer\"\ntype = \"command\"\nrun = \"touch ran\"\ntags = [\"hq\"]\n",
        {"--only", "priner"});
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_TRUE(contains(result.standard_error, "--only priner: no check with that id in " +
                                                    (temp / "suite.toml").string() +
                                                    "; did you mean \"printer\"?"))
        << result.standard_error;
    const auto tag = run(
        "[[check]]\nid = \"printer\"\ntype = \"command\"\nrun = \"touch ran\"\ntags = [\"hq\"]\n",
        {"--tag", "hg"});
    EXPECT_EQ(tag.exit_code, 64);
    EXPECT_TRUE(contains(tag.standard_error, "did you mean \"hq\"?")) << tag.standard_error;
    EXPECT_FALSE(std::filesystem::exists(temp / "ran"));
}

TEST_F(PrecheckRun, AWaiverForAnUnknownCheckIsRefusedAtItsLineAndNothingRuns) {
    temp.write("waivers.toml", R"([[waiver]]
id = "printer"
justification = "The spare printer arrives tomorrow"
approved_by = "Head of the exam point"
expires = "2099-12-31"

[[waiver]]
id = "priner"
justification = "A typo that would waive nothing"
approved_by = "Head of the exam point"
expires = "2099-12-31"
)");
    const auto result =
        run("[[check]]\nid = \"printer\"\ntype = \"command\"\nrun = \"touch ran; exit 1\"\n",
            {"--waivers", (temp / "waivers.toml").string()});
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error,
                         "waivers.toml:8:1: the suite has no check \"priner\", so this waiver "
                         "would waive nothing; did you mean \"printer\"?"))
        << result.standard_error;
    EXPECT_FALSE(std::filesystem::exists(temp / "ran"));
}

TEST_F(PrecheckRun, ASuiteThatCannotBeReadSaysWhy) {
    const auto result = run_tool(EXAM_PRECHECK_BIN, {.args = {"run", "--suite", "absent.toml"},
                                                     .working_directory = temp.path()});
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error,
                         "cannot read the suite \"absent.toml\": No such file or directory; "
                         "check the path"))
        << result.standard_error;
}

TEST_F(PrecheckRun, UnknownReportFormatIsAUsageError) {
    const auto result =
        run("[[check]]\nid = \"t\"\ntype = \"command\"\nrun = \"true\"\n", {"--report", "pdf"});
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_TRUE(contains(result.standard_error, "text, json, junit, tap, prometheus"))
        << result.standard_error;
}

TEST_F(PrecheckRun, AValidWaiverMarksAFailureWaivedAndAnExpiredOneSaysSo) {
    temp.write("waivers.toml", R"(
[[waiver]]
id = "printer"
justification = "The spare printer arrives tomorrow; room 0101 prints in 0102"
approved_by = "Head of the exam point"
expires = "2099-12-31"

[[waiver]]
id = "old-exception"
justification = "Last year's exception"
approved_by = "Head of the exam point"
expires = "2020-01-01"

[[waiver]]
id = "could-not-check"
justification = "Never applies to an error"
approved_by = "Head of the exam point"
expires = "2099-12-31"
)");
    const std::string suite = R"(
[[check]]
id = "printer"
type = "command"
run = "exit 1"

[[check]]
id = "old-exception"
type = "command"
run = "exit 1"

[[check]]
id = "could-not-check"
type = "command"
run = "sleep 30"
timeout = "200ms"
)";
    const auto json = run_json(suite, {"--waivers", (temp / "waivers.toml").string()});
    EXPECT_EQ(json["checks"][0]["status"], "waived");
    EXPECT_TRUE(contains(json["checks"][0]["message"], "approved by Head of the exam point"));
    EXPECT_EQ(json["checks"][1]["status"], "fail");
    EXPECT_TRUE(contains(json["checks"][1]["message"], "expired")) << json["checks"][1]["message"];
    EXPECT_EQ(json["checks"][2]["status"], "error");
    EXPECT_EQ(json["__exit"], 2);

    const auto only_waived =
        run_json(suite, {"--waivers", (temp / "waivers.toml").string(), "--only", "printer"});
    EXPECT_EQ(only_waived["__exit"], 0);
}

TEST_F(PrecheckRun, ABadWaiversFileIsAConfigErrorWithItsPlace) {
    temp.write(
        "waivers.toml",
        "[[waiver]]\nid = \"a\"\njustification = \"x\"\napproved_by = \"y\"\nexpires = \"soon\"\n");
    const auto result = run("[[check]]\nid = \"a\"\ntype = \"command\"\nrun = \"true\"\n",
                            {"--waivers", (temp / "waivers.toml").string()});
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error, "waivers.toml:5:1:")) << result.standard_error;
}

TEST_F(PrecheckRun, ListAndLintReadASuiteWithoutRunningIt) {
    temp.write("suite.toml",
               "[[check]]\nid = \"never-run\"\ntype = \"command\"\nrun = \"touch ran\"\ntags = "
               "[\"server\"]\n");
    const auto list = run_tool(EXAM_PRECHECK_BIN, {.args = {"list", "--suite", "suite.toml"},
                                                   .working_directory = temp.path()});
    EXPECT_EQ(list.exit_code, 0);
    EXPECT_TRUE(contains(list.standard_output, "never-run  command  critical"))
        << list.standard_output;
    const auto lint = run_tool(EXAM_PRECHECK_BIN, {.args = {"lint", "--suite", "suite.toml"},
                                                   .working_directory = temp.path()});
    EXPECT_EQ(lint.exit_code, 0);
    EXPECT_TRUE(
        contains(lint.standard_output, "suite.toml:1: note: check \"never-run\" has no hint"))
        << lint.standard_output;
    EXPECT_FALSE(std::filesystem::exists(temp / "ran"));
    temp.write("bad.toml", "[[check]]\nid = \"x\"\ntype = \"disk\"\n");
    EXPECT_EQ(run_tool(EXAM_PRECHECK_BIN,
                       {.args = {"lint", "--suite", "bad.toml"}, .working_directory = temp.path()})
                  .exit_code,
              78);
}

TEST_F(PrecheckRun, ARunIsRecordedInTheSitesJournal) {
    temp.write(
        "site.toml",
        "ppe_code = \"0001\"\nregion = \"77\"\nname = \"x\"\ntimezone = \"Europe/Moscow\"\n");
    const std::vector<std::pair<std::string, std::string>> env{
        {"EXAM_SITE", (temp / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
    ASSERT_EQ(run_tool(EXAM_JOURNAL_BIN,
                       {.args = {"init"}, .working_directory = temp.path(), .environment = env})
                  .exit_code,
              0);
    temp.write("suite.toml", "[[check]]\nid = \"t\"\ntype = \"command\"\nrun = \"true\"\n");
    const auto run_result =
        run_tool(EXAM_PRECHECK_BIN, {.args = {"run", "--suite", "suite.toml", "--station", "hq"},
                                     .working_directory = temp.path(),
                                     .environment = env});
    EXPECT_EQ(run_result.exit_code, 0) << run_result.standard_error;
    const auto list =
        run_tool(EXAM_JOURNAL_BIN, {.args = {"list", "--json", "--kind", "operability-check"},
                                    .working_directory = temp.path(),
                                    .environment = env});
    const auto json = nlohmann::json::parse(list.standard_output);
    ASSERT_EQ(json["entries"].size(), 1u) << list.standard_output;
    EXPECT_TRUE(contains(json["entries"][0]["note"], "pre-check of hq: 1 checks: 1 pass"));
    EXPECT_EQ(json["entries"][0]["actor"], "Technician");
}

TEST_F(PrecheckRun, HistoryKeepsEveryRunAndShowsHowAValueMoved) {
    temp.write("grows.log", "12345");
    const std::string suite =
        "[[check]]\nid = \"log-size\"\ntype = \"file\"\npath = \"grows.log\"\n";
    const std::string history = (temp / "history.sqlite").string();
    EXPECT_EQ(run(suite, {"--history", history, "--station", "room-0101"}).exit_code, 0);
    temp.write("grows.log", "123456789012345");
    EXPECT_EQ(run(suite, {"--history", history, "--station", "room-0101"}).exit_code, 0);

    const auto runs = run_tool(EXAM_PRECHECK_BIN, {.args = {"history", "--history", history},
                                                   .working_directory = temp.path()});
    EXPECT_EQ(runs.exit_code, 0) << runs.standard_error;
    EXPECT_EQ(std::count(runs.standard_output.begin(), runs.standard_output.end(), '\n'), 3)
        << runs.standard_output;  // a header and two runs
    EXPECT_TRUE(contains(runs.standard_output, "room-0101")) << runs.standard_output;

    const auto check = run_tool(EXAM_PRECHECK_BIN,
                                {.args = {"history", "--history", history, "--check", "log-size"},
                                 .working_directory = temp.path()});
    EXPECT_TRUE(contains(check.standard_output, "15 bytes")) << check.standard_output;
    EXPECT_TRUE(contains(check.standard_output, "+10")) << check.standard_output;
}
