// A moment of one camera's pictures, for the camera check to judge: taken from the camera
// itself (camera_probe.cpp, through OpenCV) or, while the recorder holds the camera, from
// the segment it is writing (recorded_sample.cpp). Private to libexam-devices.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include <exam/vision/picture.hpp>

namespace exam {

struct Sample {
    PictureSampler picture;
    int frames = 0;
    double first_ms = -1;  // media time of the first and last frames
    double last_ms = -1;
    bool size_changed = false;
};

// The last `wanted` of media time of a segment being recorded (fragmented MP4, readable up
// to its last synced fragment), decoded and sampled; nullopt with `problem` set when the
// file holds no readable video. The luma plane is the picture the analysis wants: no colour
// conversion.
std::optional<Sample> sample_recording(const std::filesystem::path& segment,
                                       std::chrono::milliseconds wanted,
                                       std::chrono::steady_clock::time_point give_up,
                                       std::string& problem);

}  // namespace exam
