// What a camera's address in the site file may be. Checked once, when the site file is read, so
// that a mistyped address is refused at its line at 7:30 rather than found as a camera that never
// records; the recorder and the camera check read the same addresses afterwards.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

// What is wrong with a camera address, as the end of a sentence ("the port must be ..."), or
// nullopt when the recorder can use it: rtsp://, http:// or https:// with a host and an optional
// port from 1 to 65535; file:PATH or an absolute path; v4l2:/dev/...; test: (see below). No
// spaces, control characters or other schemes.
EXAM_EXPORT std::optional<std::string> camera_address_problem(std::string_view uri);

struct SyntheticCameraSettings {
    int width = 640;
    int height = 360;
    int fps = 25;
};

// True for the test camera's scheme, "test:".
EXAM_EXPORT bool is_synthetic_camera(std::string_view uri);

// "test:", "test:1280x720", "test:1280x720@30" (even sizes from 16x16 to 7680x4320, 1-120
// frames/s); throws ConfigError for anything else.
EXAM_EXPORT SyntheticCameraSettings parse_synthetic_camera(const std::string& uri);

}  // namespace exam
