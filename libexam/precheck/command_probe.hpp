// The command check: a program or shell line, judged by its exit code and output, or by the
// report the script gives itself (docs/check-scripts.md). Private to libexam; run_probe()
// dispatches to it.
#pragma once

#include <nlohmann/json.hpp>

#include <exam/precheck/probes.hpp>

namespace exam {

CheckResult probe_command(const nlohmann::json& parameters, const ProbeContext& context);

}  // namespace exam
