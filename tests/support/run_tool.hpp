// Runs one of the real examkit binaries, as a user would from a shell.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <exam/util/subprocess.hpp>

namespace exam::testing {

struct ToolRun {
    std::vector<std::string> args;
    std::filesystem::path working_directory = ".";
    std::vector<std::pair<std::string, std::string>> environment;
    std::string standard_input;
};

// EXAM_SITE and NO_COLOR are unset unless `run.environment` sets them, so that the machine's
// own settings cannot change a test's outcome.
inline SubprocessResult run_tool(const std::string& binary, const ToolRun& run) {
    SubprocessRequest request;
    request.argv.push_back(binary);
    request.argv.insert(request.argv.end(), run.args.begin(), run.args.end());
    request.working_directory = run.working_directory;
    request.unset_environment = {"EXAM_SITE", "NO_COLOR"};
    request.set_environment = run.environment;
    request.standard_input = run.standard_input;
    request.timeout = std::chrono::seconds{30};
    return run_subprocess(request);
}

}  // namespace exam::testing
