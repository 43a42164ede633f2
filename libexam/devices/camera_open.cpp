#include "devices/camera_open.hpp"

#include <cstdlib>
#include <string_view>

namespace exam {

bool open_camera(cv::VideoCapture& capture, const std::string& uri,
                 const CameraOpenLimits& limits) {
    // RTSP over TCP: the cameras sit behind switches that drop UDP under load, and the
    // recorder uses TCP too.
    constexpr std::string_view k_tcp = "rtsp_transport;tcp";
    const char* set = std::getenv("OPENCV_FFMPEG_CAPTURE_OPTIONS");
    if (set == nullptr || k_tcp != set) {
        ::setenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", k_tcp.data(), 1);
    }
    // FFmpeg's own complaints ("Connection to tcp://... failed") would reach the terminal raw,
    // beside the message that says the same in words; OpenCV reads this once, at its first open.
    if (std::getenv("OPENCV_FFMPEG_LOGLEVEL") == nullptr) {
        ::setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 1);  // AV_LOG_QUIET
    }
    const bool opened =
        capture.open(uri, cv::CAP_FFMPEG,
                     {cv::CAP_PROP_OPEN_TIMEOUT_MSEC, static_cast<int>(limits.open.count()),
                      cv::CAP_PROP_READ_TIMEOUT_MSEC, static_cast<int>(limits.read.count())});
    return opened && capture.isOpened();
}

}  // namespace exam
