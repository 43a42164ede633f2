// The checks only an exam point has: cameras, printers, the recordings' disk; and the http
// check over libcurl. Private to libexam; run_probe() dispatches to them. Each lives in its own
// file so that OpenCV, CUPS and libcurl headers stay out of the rest of the library.
#pragma once

#include <nlohmann/json.hpp>

#include <exam/precheck/probes.hpp>

namespace exam {

CheckResult probe_camera(const nlohmann::json& parameters, const ProbeContext& context);
CheckResult probe_printer(const nlohmann::json& parameters, const ProbeContext& context);
CheckResult probe_http(const nlohmann::json& parameters, const ProbeContext& context);
CheckResult probe_recording_storage(const nlohmann::json& parameters, const ProbeContext& context);

}  // namespace exam
