#include "support/temp_dir.hpp"
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <sys/mount.h>
#include <unistd.h>

namespace exam::testing {

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string{base && *base ? base : "/tmp"} + "/examkit-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("cannot create a temporary folder from " + pattern);
    }
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

std::filesystem::path TempDir::write(std::string_view name, std::string_view content) const {
    const std::filesystem::path file = m_path / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << content;
    if (!out) {
        throw std::runtime_error("cannot write " + file.string());
    }
    return file;
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::filesystem::path example_site_file() {
    return std::filesystem::path{EXAM_SOURCE_DIR} / "docs" / "examples" / "site.toml";
}

ScopedTmpfs::ScopedTmpfs(const std::filesystem::path& folder, std::string_view size)
    : m_folder(folder) {
    std::filesystem::create_directories(folder);
    const std::string options = "size=" + std::string{size};
    m_mounted = ::mount("tmpfs", folder.c_str(), "tmpfs", 0, options.c_str()) == 0;
}

ScopedTmpfs::~ScopedTmpfs() {
    if (m_mounted) {
        ::umount(m_folder.c_str());
    }
}

}  // namespace exam::testing
