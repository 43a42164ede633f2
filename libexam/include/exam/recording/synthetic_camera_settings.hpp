// What the built-in test camera's address says: `test:`, `test:WIDTHxHEIGHT` or
// `test:WIDTHxHEIGHT@FPS`. Read by the recorder, which generates the pictures
// (libexam-recording's synthetic_camera), and by the camera check, which has no camera to open.
#pragma once

#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

struct SyntheticCameraSettings {
    int width = 640;
    int height = 360;
    int fps = 25;
};

// True for the test camera's scheme, "test:".
EXAM_EXPORT bool is_synthetic_camera(std::string_view uri);

// "test:", "test:1280x720", "test:1280x720@30"; throws ConfigError for anything else.
EXAM_EXPORT SyntheticCameraSettings parse_synthetic_camera(const std::string& uri);

}  // namespace exam
