// A camera opened through OpenCV's FFmpeg backend, the one way the camera check and a snapshot
// taken without the recording service both open it. Private to libexam-devices.
#pragma once

#include <chrono>
#include <string>

#include <opencv2/videoio.hpp>

namespace exam {

struct CameraOpenLimits {
    std::chrono::milliseconds open{5000};  // to connect and read the stream's header
    std::chrono::milliseconds read{1000};  // for one frame
};

// Opens `uri` (RTSP over TCP); false when it did not open.
// OpenCV takes RTSP's transport from the process's environment only: this sets
// OPENCV_FFMPEG_CAPTURE_OPTIONS, so call it only where no other thread reads the environment
// (the camera check's own child process, a command's main thread).
bool open_camera(cv::VideoCapture& capture, const std::string& uri, const CameraOpenLimits& limits);

}  // namespace exam
