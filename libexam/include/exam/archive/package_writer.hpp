// Writing the files of an export package so that a file with its final name is a file that was
// read back from the destination and matched: USB sticks lie about what they stored. Each file
// goes to NAME.part, is synced, dropped from the page cache, read back from the device, compared
// and only then renamed into place (and its folder synced). A failure removes the .part file and
// names the file, the reason and what to do.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

struct WrittenFile {
    std::uint64_t bytes = 0;
    std::string sha256;  // hex, of the source as read, which the read-back matched
};

// What became of a source file that was expected to have a known hash.
enum class CopyOutcome {
    verified,  // written, read back and matched; under its final name
    altered,   // the source's hash is not the one expected: nothing was left in the package
};

struct CopyResult {
    CopyOutcome outcome = CopyOutcome::verified;
    WrittenFile file;
};

class EXAM_EXPORT PackageWriter {
public:
    // Reports bytes as they are copied (source bytes; the read-back is not counted again).
    using BytesDone = std::function<void(std::uint64_t bytes)>;

    explicit PackageWriter(std::filesystem::path package_folder);

    // Copies `source` to `relative` (with '/') in the package, hashing it in the same pass.
    // When `expected_sha256` is given and the source's hash differs, the copy is removed and
    // the outcome is `altered` (with the hash found). Throws StorageError when the source
    // changes size or time while it is read (still being recorded), when it cannot be read,
    // when the destination cannot take the file, or when the read-back differs.
    CopyResult copy_file(const std::filesystem::path& source, const std::string& relative,
                         const std::optional<std::string>& expected_sha256,
                         const BytesDone& bytes_done = {});

    // Writes `content` as `relative` the same verified way (manifest, README, SHA256SUMS).
    WrittenFile write_file(const std::string& relative, std::string_view content);

    // The path of `relative` in the package.
    [[nodiscard]] std::filesystem::path path_of(const std::string& relative) const;

private:
    std::filesystem::path m_folder;
};

// Leftover NAME.part files of an interrupted export, removed (a resume starts them again).
EXAM_EXPORT void remove_partial_files(const std::filesystem::path& package_folder);

}  // namespace exam
