// The camera and printer checks live in libexam-devices (devices/devices_api.hpp), loaded
// here on first use, in the check's own process.
#include <chrono>
#include <mutex>

#include <dlfcn.h>

#include <exam/util/translate.hpp>

#include "precheck/exam_point_probes.hpp"

namespace exam {
namespace {

using DeviceProbe = CheckResult (*)(const nlohmann::json&, const ProbeContext&);

struct Module {
    void* handle = nullptr;
    std::string problem;
};

// Next to libexam itself first (a build tree, a private prefix), then the system's search path.
const Module& devices_module() {
    static Module module;
    static std::once_flag once;
    std::call_once(once, [] {
        Dl_info self{};
        if (::dladdr(reinterpret_cast<void*>(&devices_module), &self) != 0 &&
            self.dli_fname != nullptr) {
            const auto beside =
                std::filesystem::path{self.dli_fname}.parent_path() / EXAM_DEVICES_MODULE;
            module.handle = ::dlopen(beside.c_str(), RTLD_NOW | RTLD_LOCAL);
            std::error_code missing;
            if (module.handle == nullptr && std::filesystem::exists(beside, missing)) {
                // It is there but does not load (a library it needs is missing): that is the
                // reason to report, not the search path's "not found" that would follow.
                const char* why = ::dlerror();
                module.problem = why != nullptr ? why : beside.string();
                return;
            }
        }
        if (module.handle == nullptr) {
            module.handle = ::dlopen(EXAM_DEVICES_MODULE, RTLD_NOW | RTLD_LOCAL);
        }
        if (module.handle == nullptr) {
            const char* why = ::dlerror();
            module.problem = why != nullptr ? why : EXAM_DEVICES_MODULE;
        }
    });
    return module;
}

CheckResult call_device_probe(const char* entry, const nlohmann::json& parameters,
                              const ProbeContext& context) {
    // Loading the module (some 240 libraries) takes seconds on a busy machine: that time is
    // gone from the check's budget too, or the probe outlives it and the runner's kill
    // replaces its own message with a bare timeout.
    const auto loading = std::chrono::steady_clock::now();
    const Module& module = devices_module();
    ProbeContext loaded = context;
    loaded.spent += std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - loading);
    void* symbol = module.handle != nullptr ? ::dlsym(module.handle, entry) : nullptr;
    if (symbol == nullptr) {
        CheckResult result;
        result.status = CheckStatus::error;
        result.message =
            _f("this check needs examkit's device module {}, which could not be "
               "loaded ({}); reinstall examkit",
               EXAM_DEVICES_MODULE, module.problem.empty() ? std::string{entry} : module.problem);
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
