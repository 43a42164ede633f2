// Damaged and hostile site files and suites, through the real tools (issue 11): each is refused
// at load with its line and column and exit 78 — never a crash, a hang or a value that
// overflows later.
#include <gtest/gtest.h>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::run_tool;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const std::string k_header = R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"
[paths]
data = "data"
recordings = "recordings"
[journal]
keep = false
)";

class HostileFiles : public exam::testing::TempDirTest {
protected:
    exam::SubprocessResult run(const std::string& binary, std::vector<std::string> args) {
        return run_tool(binary, {.args = std::move(args), .working_directory = temp.path()});
    }

    void expect_refused(const exam::SubprocessResult& result, const std::string& place,
                        const std::string& fragment) {
        EXPECT_EQ(result.exit_code, 78) << result.standard_error;
        EXPECT_TRUE(contains(result.standard_error, place)) << result.standard_error;
        EXPECT_TRUE(contains(result.standard_error, fragment)) << result.standard_error;
        EXPECT_FALSE(contains(result.standard_error, "internal error")) << result.standard_error;
    }
};

}  // namespace

TEST_F(HostileFiles, AnExamDurationAtTheTopOfTheRangeIsRefusedBeforeTheScheduleAddsIt) {
    temp.write("site.toml", k_header + R"([[exam]]
id = "m"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "9223372036854775807ms"
)");
    expect_refused(run(EXAM_PRECHECK_BIN, {"--site", "site.toml", "schedule"}),
                   "site.toml:15:1:", "\"duration\" in [[exam]] must be from 1m to 12h");
}

TEST_F(HostileFiles, AHugeAfterEndStopsTheRecorderAtLoadNotWhileRecording) {
    temp.write("site.toml", k_header + R"([recording]
after_end = "9223372036854775807ms"
[[room]]
id = "r"
[[room.camera]]
id = "c"
uri = "test:"
)");
    expect_refused(run(EXAM_CAMERA_BIN, {"--site", "site.toml", "record", "--all"}),
                   "site.toml:11:1:", "\"after_end\" in [recording] must be from 0s to 1d");
}

TEST_F(HostileFiles, ACameraAddressTheRecorderCannotReadIsRefusedAtItsLine) {
    temp.write("site.toml", k_header + R"([[room]]
id = "r"
[[room.camera]]
id = "c"
uri = "rtsp://camera:99999/stream"
)");
    expect_refused(
        run(EXAM_CAMERA_BIN, {"--site", "site.toml", "record", "--all"}), "site.toml:14:1:",
        "\"camera:99999\" is not HOST, HOST:PORT or [IPv6]:PORT, with a port from 1 to 65535");
}

TEST_F(HostileFiles, DeeplyNestedTomlIsRefusedByEveryToolInsteadOfOverflowingTheStack) {
    std::string deep = "a";
    for (int i = 0; i < 200'000; ++i) {
        deep += ".a";
    }
    temp.write("site.toml", k_header + deep + " = 1\n");  // under [journal]: one level more
    temp.write("suite.toml", deep + " = 1\n");
    expect_refused(run(EXAM_PRECHECK_BIN, {"--site", "site.toml", "schedule"}),
                   "site.toml:10:62:", "nested more than 32 levels");
    expect_refused(run(EXAM_CAMERA_BIN, {"--site", "site.toml", "record", "--all"}),
                   "site.toml:10:62:", "nested more than 32 levels");
    expect_refused(run(EXAM_JOURNAL_BIN, {"--site", "site.toml", "list"}),
                   "site.toml:10:62:", "nested more than 32 levels");
    expect_refused(run(EXAM_PRECHECK_BIN, {"lint", "--suite", "suite.toml"}),
                   "suite.toml:1:64:", "nested more than 32 levels");
}

TEST_F(HostileFiles, AFileLargerThanAnySiteFileIsRefused) {
    temp.write("site.toml", k_header + "# " + std::string(2 * 1024 * 1024, 'x') + "\n");
    expect_refused(run(EXAM_PRECHECK_BIN, {"--site", "site.toml", "schedule"}), "site.toml",
                   "examkit reads files of at most 1048576 bytes");
}

TEST_F(HostileFiles, AHugeCheckTimeoutIsRefusedAtLoad) {
    temp.write("suite.toml",
               "[[check]]\nid = \"a\"\ntype = \"window\"\n"
               "timeout = \"9223372036854775807ms\"\n");
    expect_refused(run(EXAM_PRECHECK_BIN, {"run", "--suite", "suite.toml"}),
                   "suite.toml:4:1:", "\"timeout\" in [[check]] must be from 100ms to 1h");
}

TEST_F(HostileFiles, ARetryDelayLongerThanTheTimeoutIsRefusedInsteadOfHangingTheRun) {
    temp.write("suite.toml",
               "[[check]]\nid = \"a\"\ntype = \"command\"\nrun = \"exit 1\"\n"
               "timeout = \"1s\"\nretries = 1\nretry_delay = \"106751991167d\"\n");
    const auto result = run(EXAM_PRECHECK_BIN, {"run", "--suite", "suite.toml"});
    expect_refused(result, "suite.toml:7:1:", "\"retry_delay\" in [[check]] must be from 0s to 1h");
    temp.write("suite.toml",
               "[[check]]\nid = \"a\"\ntype = \"command\"\nrun = \"exit 1\"\n"
               "timeout = \"1s\"\nretries = 1\nretry_delay = \"2s\"\n");
    expect_refused(run(EXAM_PRECHECK_BIN, {"run", "--suite", "suite.toml"}),
                   "suite.toml:7:1:", "must not be longer than the check's timeout (1s)");
}

TEST_F(HostileFiles, AnErrorQuotingAHostileValueNeverSendsItToTheTerminalRaw) {
    temp.write("site.toml", k_header +
                                "[[room]]\nid = \"r\"\n[[room.camera]]\nid = \"c\"\n"
                                "uri = \"ftp://\\u001b[2J\\u001b[31m\"\n");
    const auto result = run(EXAM_CAMERA_BIN, {"--site", "site.toml", "record", "--all"});
    expect_refused(result, "site.toml:14:1:", "\\e[2J\\e[31m");
    EXPECT_FALSE(contains(result.standard_error, "\x1b")) << result.standard_error;
}
