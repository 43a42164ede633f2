// What an export package holds beside the segments, per camera: its contact sheet (thumbnails
// through libexam-devices) and, with --concat, its joined MP4 parts (remuxed by
// libexam-recording). Both heavy modules are loaded only here. Each file is made in a staging
// folder on the exam point's own disk and then written into the package the verified way
// (synced, read back, compared), like every other file.
#pragma once

#include <filesystem>
#include <vector>

#include <exam/archive/export_plan.hpp>
#include <exam/archive/manifest.hpp>
#include <exam/archive/package_writer.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>

namespace exam {

struct CameraExtras {
    const PlannedCamera& camera;
    // The camera's segments that went into the package (altered ones are not joined).
    std::vector<const PlannedSegment*> exported;
    bool concat = false;
};

// Adds the files to `manifest.files`. Throws StorageError (staging or destination), InputError
// (a segment FFmpeg cannot read) or DeviceError (a module that does not load).
EXAM_EXPORT void export_camera_extras(const Site& site, const CameraExtras& extras,
                                      PackageWriter& writer, const std::filesystem::path& staging,
                                      ManifestCamera& manifest);

}  // namespace exam
