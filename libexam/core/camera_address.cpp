#include <algorithm>
#include <array>
#include <charconv>

#include <exam/core/camera_address.hpp>
#include <exam/util/error.hpp>
#include <exam/util/host_port.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

// A whole decimal number from 0 to `largest`, nothing before or after it.
std::optional<int> whole_number(std::string_view text, int largest) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 0 ||
        value > largest) {
        return std::nullopt;
    }
    return value;
}

std::optional<SyntheticCameraSettings> read_synthetic_camera(std::string_view uri) {
    SyntheticCameraSettings settings;
    std::string_view rest = uri.substr(uri.find(':') + 1);
    if (rest.empty()) {
        return settings;
    }
    const std::size_t at = rest.find('@');
    if (at != std::string_view::npos) {
        const auto fps = whole_number(rest.substr(at + 1), 120);
        if (!fps || *fps < 1) {
            return std::nullopt;
        }
        settings.fps = *fps;
        rest = rest.substr(0, at);
    }
    const std::size_t times = rest.find('x');
    if (times == std::string_view::npos) {
        return std::nullopt;
    }
    const auto width = whole_number(rest.substr(0, times), 7680);
    const auto height = whole_number(rest.substr(times + 1), 4320);
    if (!width || !height || *width < 16 || *height < 16 || *width % 2 != 0 || *height % 2 != 0) {
        return std::nullopt;
    }
    settings.width = *width;
    settings.height = *height;
    return settings;
}

// scheme://[user[:password]@]host[:port][/path]
std::optional<std::string> network_address_problem(std::string_view rest) {
    std::string_view authority = rest.substr(0, std::min(rest.find_first_of("/?#"), rest.size()));
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1);
    }
    if (authority.empty()) {
        return _("it has no host: write the camera's address or name after \"//\"");
    }
    if (!parse_host_optional_port(authority, "")) {
        return _f("\"{}\" is not {}", authority, host_port_syntax());
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> camera_address_problem(std::string_view uri) {
    if (has_unprintable_characters(uri) || uri.find(' ') != std::string_view::npos) {
        return _("it holds a space or a control character; write a space in a path as %20");
    }
    if (uri.starts_with('/')) {
        return std::nullopt;  // a rehearsal file by its path
    }
    const std::size_t colon = uri.find(':');
    if (colon == std::string_view::npos) {
        return _("it has no scheme");
    }
    const std::string scheme = ascii_lower(uri.substr(0, colon));
    const std::string_view rest = uri.substr(colon + 1);
    if (scheme == "rtsp" || scheme == "http" || scheme == "https") {
        if (!rest.starts_with("//")) {
            return _f("\"{}:\" must be followed by \"//\" and the camera's host", scheme);
        }
        return network_address_problem(rest.substr(2));
    }
    if (scheme == "file") {
        if (rest.empty() || rest == "//") {
            return _(
                "\"file:\" needs the video file's path, such as \"file:/srv/rehearsal/room1.mp4\"");
        }
        return std::nullopt;
    }
    if (scheme == "v4l2") {
        if (!rest.starts_with("/dev/") || rest.size() == 5 || rest.starts_with("/dev/?")) {
            return _("\"v4l2:\" needs the device, such as \"v4l2:/dev/video0\"");
        }
        return std::nullopt;
    }
    if (scheme == "test") {
        if (!read_synthetic_camera(uri)) {
            return _(
                "the test camera is \"test:\", \"test:WIDTHxHEIGHT\" or "
                "\"test:WIDTHxHEIGHT@FPS\" (even sizes from 16x16 to 7680x4320, 1-120 "
                "frames/s), such as \"test:1280x720@25\"");
        }
        return std::nullopt;
    }
    static constexpr std::array<std::string_view, 6> k_schemes{"rtsp", "http", "https",
                                                               "file", "v4l2", "test"};
    return _f(
        "the scheme \"{}:\" is not one the recorder reads (rtsp, http, https, file, v4l2, "
        "test){}",
        scheme, did_you_mean(scheme, k_schemes));
}

bool is_synthetic_camera(std::string_view uri) {
    return uri.starts_with("test:");
}

SyntheticCameraSettings parse_synthetic_camera(const std::string& uri) {
    if (const auto settings = read_synthetic_camera(uri)) {
        return *settings;
    }
    throw ConfigError(_f("\"{}\": {}", uri, *camera_address_problem(uri)));
}

}  // namespace exam
