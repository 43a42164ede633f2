// `exam-camera verify` of a damaged export package (docs/export-format.md). The input is the
// package: its parts, separated by a line "%%", alternate a file's path inside the package and
// the file's bytes (seeds: real packages, written so by scripts/fuzz-seeds.sh). Paths that
// would leave the folder are skipped; the folder is checked as a stranger's copy is.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <exam/archive/package_verify.hpp>

#include "fuzz_support.hpp"

namespace {

bool stays_inside(std::string_view path) {
    if (path.empty() || path.size() > 200 || path.front() == '/') {
        return false;
    }
    for (const auto& part : std::filesystem::path{path}) {
        if (part == ".." || part == ".") {
            return false;
        }
    }
    return path.find('\0') == std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path folder =
        std::filesystem::temp_directory_path() /
        ("examkit-fuzz-package-" + std::to_string(::getpid()));
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    exam::fuzz::Parts parts{data, size};
    std::string_view path;
    std::string_view bytes;
    while (parts.next(path) && parts.next(bytes)) {
        if (!stays_inside(path)) {
            continue;
        }
        const std::filesystem::path file = folder / path;
        std::error_code ignored;
        std::filesystem::create_directories(file.parent_path(), ignored);
        std::ofstream out{file, std::ios::binary | std::ios::trunc};
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    exam::fuzz::refusals_are_typed(
        [&] { (void)exam::verify_package(folder, exam::PackageVerifyOptions{}); });
    return 0;
}
