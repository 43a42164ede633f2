// A fresh folder per test, removed afterwards, and small file helpers around it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace exam::testing {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(std::string_view name) const { return m_path / name; }

    // Writes `content` to `name` inside the folder, creating parent folders.
    std::filesystem::path write(std::string_view name, std::string_view content) const;

private:
    std::filesystem::path m_path;
};

// A fixture owning a TempDir, for tests that touch files or SQLite.
class TempDirTest : public ::testing::Test {
protected:
    TempDir temp;
};

std::string read_file(const std::filesystem::path& file);

// A small tmpfs mounted on `folder` (created) for the scope: a real disk that fills up.
// Tests run as root (docs/ARCHITECTURE.md, Tests).
class ScopedTmpfs {
public:
    ScopedTmpfs(const std::filesystem::path& folder, std::string_view size);
    ~ScopedTmpfs();
    ScopedTmpfs(const ScopedTmpfs&) = delete;
    ScopedTmpfs& operator=(const ScopedTmpfs&) = delete;
    [[nodiscard]] bool mounted() const { return m_mounted; }

private:
    std::filesystem::path m_folder;
    bool m_mounted = false;
};

// The example site shipped in docs/examples/site.toml.
std::filesystem::path example_site_file();

}  // namespace exam::testing
