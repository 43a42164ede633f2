// What an export will copy, decided before anything is written: per camera, the indexed
// segments that overlap its window, their folder in the package (names safe on FAT32 and
// exFAT), its gaps and damage, and whether a recorder is still writing into its window.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <exam/archive/camera_windows.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/recording/segment_index.hpp>

namespace exam {

struct PlannedSegment {
    SegmentRecord record;
    std::filesystem::path source;  // in the recordings folder
    std::string package_path;      // relative to the package, with '/'
};

struct PlannedCamera {
    const Room* room = nullptr;
    const Camera* camera = nullptr;
    TimeRange window;
    std::string folder;                    // relative to the package, with '/'
    std::vector<PlannedSegment> segments;  // in time order
    std::vector<GapRecord> gaps;           // overlapping the window
    std::vector<DamageRecord> damage;
};

struct EXAM_EXPORT ExportPlan {
    std::vector<PlannedCamera> cameras;
    [[nodiscard]] std::uint64_t bytes() const;
    [[nodiscard]] std::size_t segment_count() const;
};

// A file or folder name that FAT32 and exFAT take whatever `name` holds: characters outside
// [A-Za-z0-9._-] become '_', and a name over 64 characters is cut and ended with 8 hex digits
// of its SHA-256, so that two long names stay apart.
EXAM_EXPORT std::string package_safe_name(std::string_view name);

// "<region>-<ppe>/<day>": the package's top folder for the site and a day ("YYYY-MM-DD").
EXAM_EXPORT std::string package_day_folder(const Site& site, std::string_view day);

// The plan for `windows` from the index. `day` names the date folder (the exam's date, or the
// range start's local date). Throws StorageError naming the cameras to stop first when a
// recorder is still writing into a window (this export never copies a file that changes).
EXAM_EXPORT ExportPlan plan_export(const Site& site, std::span<const CameraWindow> windows,
                                   SegmentIndex& index, std::string_view day, TimePoint now);

}  // namespace exam
