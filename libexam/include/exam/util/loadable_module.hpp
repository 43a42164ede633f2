// One of examkit's own shared libraries loaded with dlopen() on first use: libexam-devices
// (OpenCV, CUPS) and libexam-recording (FFmpeg) pull in some 240 shared libraries, which would
// otherwise cost every command — a desk admission, an auditor's verify — a large part of a
// second of start-up. Looked for beside libexam first (a build tree, a private prefix), then on
// the system's search path. Thread-safe.
#pragma once

#include <mutex>
#include <string>

#include <exam/export.hpp>

namespace exam {

class EXAM_EXPORT LoadableModule {
public:
    // `soname`: the file name, such as "libexam-devices.so.0". Nothing is loaded yet.
    explicit LoadableModule(std::string soname) : m_soname(std::move(soname)) {}
    LoadableModule(const LoadableModule&) = delete;
    LoadableModule& operator=(const LoadableModule&) = delete;

    // The entry point's address, loading the module on first use; nullptr when the module does
    // not load or lacks the entry (problem() then says why).
    [[nodiscard]] void* entry(const char* name);
    // Why the module or the entry could not be had, in the loader's words.
    [[nodiscard]] std::string problem(const char* name);
    [[nodiscard]] const std::string& soname() const { return m_soname; }

private:
    void load();
    // An address inside libexam, for dladdr() to find the folder libexam was loaded from.
    static void entry_point_anchor();

    std::string m_soname;
    std::once_flag m_once;
    void* m_handle = nullptr;
    std::string m_problem;
};

}  // namespace exam
