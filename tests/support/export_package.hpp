// Export packages for the tests of verify (library, CLI and the Python script of
// docs/export-format.md): a real site, a real journal with the recorder's segment entries, real
// segment files, and a package written through the archive API as export writes it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace exam::testing {

struct TestPackageOptions {
    std::size_t cameras = 2;
    std::size_t segments_per_camera = 2;
    std::size_t segment_bytes = 64 * 1024;
    // The last segment of the first camera is recorded while the journal was missing: listed
    // in the manifest without a journal entry.
    bool one_unjournalled = false;
};

struct TestPackage {
    std::filesystem::path folder;     // the package
    std::filesystem::path site_file;  // its exam point's site file (keys and journal beside)
    std::string public_key;           // the exam point's verifier key, as text
    std::string fingerprint;
    std::vector<std::string> files;  // every file of the package, relative to `folder`
};

// A site under `work` (site.toml, data/, keys/, recordings/) and its package in work/package.
TestPackage make_test_package(const std::filesystem::path& work,
                              const TestPackageOptions& options = {});

// Flips one bit of the byte at the file's middle.
void flip_one_byte(const std::filesystem::path& file);

}  // namespace exam::testing
