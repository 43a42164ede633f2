// Runs a child process with a hard deadline, capturing its output. The child gets its own
// process group, so that on timeout it is killed together with anything it started.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <exam/export.hpp>

namespace exam {

struct SubprocessRequest {
    std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no slash
    std::string standard_input;     // written to the child, then its stdin is closed
    std::vector<std::pair<std::string, std::string>> set_environment;
    std::vector<std::string> unset_environment;
    std::optional<std::filesystem::path> working_directory;
    std::chrono::milliseconds timeout{std::chrono::seconds{30}};
    // Called (in the calling thread) once the program is running, before its output is read:
    // a caller on another thread learns that it started without waiting for it to end.
    std::function<void()> on_started;
};

struct SubprocessResult {
    int exit_code = -1;  // when it exited normally
    int signal = 0;      // when a signal ended it
    bool timed_out = false;
    std::string standard_output;
    std::string standard_error;
    std::chrono::milliseconds elapsed{0};

    [[nodiscard]] bool exited() const { return signal == 0 && !timed_out; }
};

// Throws DeviceError when the program cannot be started at all (not found, not executable).
EXAM_EXPORT SubprocessResult run_subprocess(const SubprocessRequest& request);

}  // namespace exam
