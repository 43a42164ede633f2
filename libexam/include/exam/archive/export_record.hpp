// The progress record of an export in its destination (DIR/.examkit-export.json): which files
// were written and verified so far, so that `--resume` does not copy them again. Written
// atomically after each verified file; removed when the package is complete.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <exam/export.hpp>

namespace exam {

inline constexpr std::string_view k_export_record_name = ".examkit-export.json";

struct VerifiedFile {
    std::string path;  // relative to the package, with '/'
    std::uint64_t bytes = 0;
    std::string sha256;
};

struct ExportRecord {
    std::string request;  // what was asked for, so that a resume continues the same export
    std::vector<VerifiedFile> files;

    [[nodiscard]] const VerifiedFile* find(std::string_view path) const;
};

// The record in `package_folder`, nullopt when there is none. InputError naming the file when
// it is not a record this version wrote.
EXAM_EXPORT std::optional<ExportRecord> read_export_record(
    const std::filesystem::path& package_folder);
// Replaces the record atomically (synced before it returns).
EXAM_EXPORT void write_export_record(const std::filesystem::path& package_folder,
                                     const ExportRecord& record);

}  // namespace exam
