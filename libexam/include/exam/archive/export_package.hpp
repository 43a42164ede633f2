// `exam-camera export`: the whole export as a sequence of named steps — choose the cameras'
// windows, check the destination and its free space, copy and verify every segment against
// the index and the journal, write the manifest, its signature, the README and SHA256SUMS, and
// record the export in the journal. docs/exit-codes.md gives the outcomes.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include <exam/archive/camera_windows.hpp>
#include <exam/archive/export_progress.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>

namespace exam {

struct ExportRequest {
    RangeOptions range;
    std::filesystem::path out;
    bool resume = false;
    // Also one MP4 per camera for the range, joined by remuxing (libexam-recording, loaded for
    // it), in parts below 4 GiB.
    bool concat = false;
    std::optional<std::string> actor;  // who exports, for the manifest and the journal
};

// Returns 0 when every segment went into the package verified, 2 when some segment had been
// altered since it was recorded (it is left out, listed in the manifest's gaps and named in
// `messages`; the rest of the package is complete). Throws UsageError for a bad range or a
// destination that is not empty (without --resume), StorageError for the destination (full,
// read-only, failing), a recording still being written, or an export the journal could not
// record; ConfigError when the site's signing key is missing.
EXAM_EXPORT int export_package(const Site& site, const ExportRequest& request,
                               ExportProgress& progress, std::ostream& messages);

}  // namespace exam
