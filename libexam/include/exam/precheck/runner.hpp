// Runs a suite: checks in parallel in a bounded pool, each attempt in a child process that is
// killed at its deadline, so a check stuck inside a blocking call (a DNS lookup, a camera
// open) cannot hold the run; results come back in the suite's order.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <exam/export.hpp>
#include <exam/precheck/probes.hpp>
#include <exam/precheck/result.hpp>
#include <exam/precheck/suite.hpp>

namespace exam {

struct RunOptions {
    unsigned jobs = 8;  // checks mostly wait (on the network, a device), so more than the cores
    std::vector<std::string> only;  // check ids; empty means all
    std::vector<std::string> tags;  // a check runs when it has any of them; empty means all
    TimePoint now;
    std::optional<ExamTimes> exam;
    std::optional<std::string> site_timezone;
    const Site* site = nullptr;  // the camera checks run once per camera of the site
    // A program that runs one check when started as `PROGRAM __run-check` (it calls
    // serve_check_request()): each attempt then runs in a freshly executed process rather
    // than a bare fork of this threaded one. Empty: a bare fork (enough for simple probes).
    std::filesystem::path check_program;
};

// The argument that makes a check program serve one request.
inline constexpr std::string_view k_check_program_argument = "__run-check";

// The check program's side: reads one check and its context (JSON) on standard input, runs
// it, writes the result to file descriptor 3. Returns the process's exit code.
EXAM_EXPORT int serve_check_request();

// A suite's checks as they will run: a camera check without "uri" becomes one check per
// camera of the site (id "CHECK:CAMERA"), with the camera's address and expected picture.
// A camera id or room the site does not have is a ConfigError at the check's line.
EXAM_EXPORT std::vector<CheckSpec> expand_checks(const Suite& suite, const Site* site);

EXAM_EXPORT std::vector<CheckResult> run_suite(const Suite& suite, const RunOptions& options);

// One check with its retries, isolated in child processes; what run_suite does per check.
EXAM_EXPORT CheckResult run_check(const CheckSpec& check, const ProbeContext& context,
                                  const std::filesystem::path& check_program = {});

}  // namespace exam
