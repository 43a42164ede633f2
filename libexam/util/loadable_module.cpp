#include <filesystem>

#include <dlfcn.h>

#include <exam/util/loadable_module.hpp>

namespace exam {

void LoadableModule::load() {
    Dl_info self{};
    if (::dladdr(reinterpret_cast<void*>(&LoadableModule::entry_point_anchor), &self) != 0 &&
        self.dli_fname != nullptr) {
        const auto beside = std::filesystem::path{self.dli_fname}.parent_path() / m_soname;
        m_handle = ::dlopen(beside.c_str(), RTLD_NOW | RTLD_LOCAL);
        std::error_code missing;
        if (m_handle == nullptr && std::filesystem::exists(beside, missing)) {
            // It is there but does not load (a library it needs is missing): that is the reason
            // to report, not the search path's "not found" that would follow.
            const char* why = ::dlerror();
            m_problem = why != nullptr ? why : beside.string();
            return;
        }
    }
    if (m_handle == nullptr) {
        m_handle = ::dlopen(m_soname.c_str(), RTLD_NOW | RTLD_LOCAL);
    }
    if (m_handle == nullptr) {
        const char* why = ::dlerror();
        m_problem = why != nullptr ? why : m_soname;
    }
}

void* LoadableModule::entry(const char* name) {
    std::call_once(m_once, [this] { load(); });
    return m_handle != nullptr ? ::dlsym(m_handle, name) : nullptr;
}

std::string LoadableModule::problem(const char* name) {
    std::call_once(m_once, [this] { load(); });
    return m_problem.empty() ? m_soname + " has no entry point " + name : m_problem;
}

void LoadableModule::entry_point_anchor() {}

}  // namespace exam
