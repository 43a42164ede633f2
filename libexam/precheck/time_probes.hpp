// The checks of time (window, clock). Private to libexam; run_probe() dispatches to them.
#pragma once

#include <nlohmann/json.hpp>

#include <exam/precheck/probes.hpp>

namespace exam {

CheckResult probe_window(const ProbeContext& context);
CheckResult probe_clock(const nlohmann::json& parameters, const ProbeContext& context);

}  // namespace exam
