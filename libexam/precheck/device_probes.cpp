// The camera and printer checks live in libexam-devices (devices/devices_api.hpp), loaded
// here on first use, in the check's own process.
#include <chrono>

#include <exam/util/translate.hpp>

#include "core/devices_module.hpp"
#include "precheck/exam_point_probes.hpp"

namespace exam {
namespace {

using DeviceProbe = CheckResult (*)(const nlohmann::json&, const ProbeContext&);

CheckResult call_device_probe(const char* entry, const nlohmann::json& parameters,
                              const ProbeContext& context) {
    // Loading the module (some 240 libraries) takes seconds on a busy machine: that time is
    // gone from the check's budget too, or the probe outlives it and the runner's kill
    // replaces its own message with a bare timeout.
    const auto loading = std::chrono::steady_clock::now();
    std::string problem;
    void* symbol = devices_entry(entry, problem);
    ProbeContext loaded = context;
    loaded.spent += std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - loading);
    if (symbol == nullptr) {
        CheckResult result;
        result.status = CheckStatus::error;
        result.message =
            _f("this check needs examkit's device module {}, which could not be "
               "loaded ({}); reinstall examkit",
               EXAM_DEVICES_MODULE, problem);
        return result;
    }
    return reinterpret_cast<DeviceProbe>(symbol)(parameters, loaded);
}

}  // namespace

CheckResult probe_camera(const nlohmann::json& parameters, const ProbeContext& context) {
    return call_device_probe("exam_devices_probe_camera", parameters, context);
}

CheckResult probe_printer(const nlohmann::json& parameters, const ProbeContext& context) {
    return call_device_probe("exam_devices_probe_printer", parameters, context);
}

}  // namespace exam
