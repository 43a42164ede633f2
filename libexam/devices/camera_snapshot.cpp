// A snapshot taken by opening the camera (exam-camera snapshot when no recording service
// holds it): the first picture it sends, stamped (vision/stamp) and encoded as JPEG.
#include <chrono>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <exam/core/camera_address.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>
#include <exam/vision/stamp.hpp>

#include "devices/camera_open.hpp"
#include "devices/devices_api.hpp"

namespace exam {
namespace {

using Clock = std::chrono::steady_clock;

// A camera gets this long to connect, and then to send its first whole picture: with a
// keyframe every few seconds, the first decodable picture may be that far away.
constexpr CameraOpenLimits k_snapshot_limits{.open = std::chrono::seconds{10},
                                             .read = std::chrono::seconds{5}};
constexpr auto k_first_picture_within = std::chrono::seconds{10};

// The test camera's picture: colour bars of its size, as the recorder's own pattern shows.
cv::Mat colour_bars(const SyntheticCameraSettings& settings) {
    static const cv::Scalar k_bars[] = {{192, 192, 192}, {0, 192, 192}, {192, 192, 0}, {0, 192, 0},
                                        {192, 0, 192},   {0, 0, 192},   {192, 0, 0}};
    cv::Mat picture(settings.height, settings.width, CV_8UC3);
    const int count = static_cast<int>(std::size(k_bars));
    for (int i = 0; i < count; ++i) {
        const int from = settings.width * i / count;
        const int to = settings.width * (i + 1) / count;
        picture(cv::Rect{from, 0, to - from, settings.height}).setTo(k_bars[i]);
    }
    return picture;
}

cv::Mat take_picture(const std::string& uri, const std::string& who) {
    if (is_synthetic_camera(uri)) {
        return colour_bars(parse_synthetic_camera(uri));
    }
    cv::VideoCapture capture;
    const auto started = Clock::now();
    if (!open_camera(capture, uri, k_snapshot_limits)) {
        throw DeviceError(
            _f("{} could not be opened for a snapshot within {}: check its address "
               "in the site file and that it is on and reachable (the pre-check's "
               "camera check says more)",
               who, format_elapsed(k_snapshot_limits.open)));
    }
    cv::Mat picture;
    const auto give_up = Clock::now() + k_first_picture_within;
    while (Clock::now() < give_up && capture.read(picture)) {
        if (!picture.empty() && picture.type() == CV_8UC3) {
            return picture;
        }
    }
    throw DeviceError(_f("{} opened but sent no picture within {}", who,
                         format_elapsed(std::chrono::duration_cast<std::chrono::milliseconds>(
                             Clock::now() - started))));
}

}  // namespace
}  // namespace exam

std::vector<std::uint8_t> exam_devices_snapshot(const std::string& uri, const std::string& who,
                                                const std::vector<std::string>& lines) {
    using namespace exam;
    const cv::Mat picture = take_picture(uri, who);
    return stamped_jpeg(
        {picture.cols, picture.rows, static_cast<std::ptrdiff_t>(picture.step[0]), picture.data},
        lines);
}
