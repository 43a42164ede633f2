#include <cstdio>

#include <exam/recording/synthetic_camera_settings.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {

bool is_synthetic_camera(std::string_view uri) {
    return uri.starts_with("test:");
}

SyntheticCameraSettings parse_synthetic_camera(const std::string& uri) {
    SyntheticCameraSettings settings;
    const std::string rest = uri.substr(uri.find(':') + 1);
    if (rest.empty()) {
        return settings;
    }
    int width = 0;
    int height = 0;
    int fps = settings.fps;
    char tail = 0;
    const int read = std::sscanf(rest.c_str(), "%dx%d@%d%c", &width, &height, &fps, &tail);
    const bool valid = (read == 2 || read == 3) && width >= 16 && height >= 16 && width <= 7680 &&
                       height <= 4320 && width % 2 == 0 && height % 2 == 0 && fps >= 1 &&
                       fps <= 120;
    if (!valid) {
        throw ConfigError(
            _f("\"{}\": the test camera is \"test:\" or \"test:WIDTHxHEIGHT\" "
               "or \"test:WIDTHxHEIGHT@FPS\" (even sizes, 1-120 frames/s), such "
               "as \"test:1280x720@25\"",
               uri));
    }
    return {width, height, fps};
}

}  // namespace exam
