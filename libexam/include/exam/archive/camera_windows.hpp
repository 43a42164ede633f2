// What an archive command (export, coverage, hold) was asked for: an exam (each room's recording
// window of that exam) or a stretch of time, over a choice of cameras.
#pragma once

#include <string>
#include <vector>

#include <exam/core/camera_choice.hpp>
#include <exam/core/recording_window.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>

namespace exam {

// As typed: --exam ID, or --from T --to T (times as parse_command_line_time reads them, in the
// site's zone unless they carry an offset); the cameras by --all/--room/--camera (none: all).
struct RangeOptions {
    std::string exam;
    std::string from;
    std::string to;
    CameraChoice cameras;
};

struct CameraWindow {
    const Room* room;
    const Camera* camera;
    TimeRange window;
};

// Each chosen camera with its window, in the site's order. UsageError for an unknown exam, for
// neither or both of --exam and --from/--to, for one of --from/--to alone, and for a range that
// ends before it starts; InputError for a time it cannot read.
EXAM_EXPORT std::vector<CameraWindow> camera_windows(const Site& site, const RangeOptions& options);

// The stretch from the earliest window's start to the latest one's end.
EXAM_EXPORT TimeRange overall_range(const std::vector<CameraWindow>& windows);

}  // namespace exam
