#include "core/devices_module.hpp"
#include <filesystem>
#include <mutex>

#include <dlfcn.h>

namespace exam {
namespace {

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

}  // namespace

void* devices_entry(const char* name, std::string& problem) {
    const Module& module = devices_module();
    void* symbol = module.handle != nullptr ? ::dlsym(module.handle, name) : nullptr;
    if (symbol == nullptr) {
        problem = module.problem.empty() ? std::string{name} : module.problem;
    }
    return symbol;
}

}  // namespace exam
