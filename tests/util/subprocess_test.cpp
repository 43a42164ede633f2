#include <csignal>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include <exam/util/error.hpp>
#include <exam/util/subprocess.hpp>

#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using exam::run_subprocess;
using exam::SubprocessRequest;

TEST(Subprocess, CapturesOutputAndExitCode) {
    const auto result = run_subprocess({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}});
    EXPECT_TRUE(result.exited());
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_EQ(result.standard_output, "out\n");
    EXPECT_EQ(result.standard_error, "err\n");
}

TEST(Subprocess, FeedsStandardInput) {
    std::string big(200000, 'x');
    const auto result = run_subprocess({.argv = {"wc", "-c"}, .standard_input = big});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(std::stoul(result.standard_output), big.size());
}

TEST(Subprocess, SetsAndUnsetsEnvironmentForTheChildOnly) {
    ::setenv("EXAM_TEST_UNSET_ME", "present", 1);
    const auto result =
        run_subprocess({.argv = {"sh", "-c", "echo \"$EXAM_TEST_A:${EXAM_TEST_UNSET_ME-gone}\""},
                        .set_environment = {{"EXAM_TEST_A", "one"}},
                        .unset_environment = {"EXAM_TEST_UNSET_ME"}});
    EXPECT_EQ(result.standard_output, "one:gone\n");
    EXPECT_EQ(std::getenv("EXAM_TEST_A"), nullptr);
    EXPECT_STREQ(std::getenv("EXAM_TEST_UNSET_ME"), "present");
    ::unsetenv("EXAM_TEST_UNSET_ME");
}

TEST(Subprocess, RunsInTheGivenFolder) {
    exam::testing::TempDir temp;
    const auto result = run_subprocess({.argv = {"pwd"}, .working_directory = temp.path()});
    EXPECT_EQ(result.standard_output, std::filesystem::canonical(temp.path()).string() + "\n");
}

namespace {

// True once the process is gone or a zombie (its parent may be a PID 1 that never reaps).
bool process_ended(const std::string& pid) {
    std::ifstream stat("/proc/" + pid + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
        return true;
    }
    const auto state = line.find(") ");
    return state != std::string::npos && line[state + 2] == 'Z';
}

}  // namespace

TEST(Subprocess, KillsTheWholeGroupAtTheDeadline) {
    // The grandchild keeps the output pipe open; the deadline must hold, and it must die too.
    // A timeout that leaves the shell time to start and print even on a loaded machine, and a
    // generous bound on the elapsed time: what matters is that 30 s of sleeping did not happen.
    const auto result =
        run_subprocess({.argv = {"sh", "-c", "sleep 30 & echo $!; sleep 30"}, .timeout = 2s});
    EXPECT_TRUE(result.timed_out);
    EXPECT_LT(result.elapsed, 15s);
    const std::string grandchild =
        result.standard_output.substr(0, result.standard_output.find('\n'));
    ASSERT_FALSE(grandchild.empty());
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!process_ended(grandchild) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(process_ended(grandchild)) << "grandchild " << grandchild << " survived";
}

TEST(Subprocess, DeadlineHoldsForAChildThatClosedItsOutput) {
    const auto result =
        run_subprocess({.argv = {"sh", "-c", "exec >/dev/null 2>&1; sleep 30"}, .timeout = 300ms});
    EXPECT_TRUE(result.timed_out);
    EXPECT_LT(result.elapsed, 15s);
}

TEST(Subprocess, ReportsTheSignalThatEndedTheChild) {
    const auto result = run_subprocess({.argv = {"sh", "-c", "kill -TERM $$"}});
    EXPECT_FALSE(result.exited());
    EXPECT_EQ(result.signal, SIGTERM);
}

TEST(Subprocess, MissingProgramIsADeviceErrorNamingIt) {
    try {
        (void)run_subprocess({.argv = {"/nonexistent/examkit-program"}});
        FAIL() << "no exception";
    } catch (const exam::DeviceError& e) {
        EXPECT_NE(std::string{e.what()}.find("examkit-program"), std::string::npos);
    }
}
