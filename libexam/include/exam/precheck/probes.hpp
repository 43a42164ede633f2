// The check types themselves: each looks at one thing on this machine and says what it found.
// They run inside a child process (see runner.hpp), so they may block.
#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include <exam/core/schedule.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/precheck/result.hpp>
#include <exam/precheck/suite.hpp>

namespace exam {

struct ProbeContext {
    std::filesystem::path suite_folder;        // relative programs and paths resolve here
    std::chrono::milliseconds timeout{10000};  // as the suite states it, for messages
    TimePoint now;                             // the run's time (--at for rehearsals)
    std::optional<ExamTimes> exam;             // for the window type
    std::optional<std::string> site_timezone;  // for the clock type
    const Site* site = nullptr;                // cameras and folders, when the run has a site file
    std::chrono::milliseconds spent{0};        // of the timeout, used up before the probe began
    // The suite's `hint` for the check. A probe whose finding has a more precise remedy (the
    // clock's wrong timezone) gives its own advice as the result's hint, and adds this one only
    // when its finding is also the one the suite's hint is about.
    std::string suite_hint;

    // What is left of the timeout for the probe's own waiting, so that it reports its own,
    // precise message before the runner stops its process.
    [[nodiscard]] std::chrono::milliseconds budget() const {
        return std::max(std::chrono::milliseconds{1}, timeout - spent);
    }
};

// Runs one check once. Its status is pass, fail or error (could not check), or skip; the
// runner turns a failed warning-severity check into warn, and applies waivers. The result's
// hint is the probe's own advice when it gave one, else the suite's.
EXAM_EXPORT CheckResult run_probe(const CheckSpec& check, const ProbeContext& context);

}  // namespace exam
