// The built-in test camera, `test:` (or `test:WIDTHxHEIGHT@FPS`): a moving pattern encoded
// on the fly as H.264 (h264_encoder.hpp, the encoder USB cameras go through too) and
// delivered at its frame rate, for the demo and for trying the recorder on a machine without
// cameras.
// Private to libexam-recording.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include <exam/core/camera_address.hpp>

#include "recording/h264_encoder.hpp"

namespace exam {

class SyntheticCamera {
public:
    SyntheticCamera(const SyntheticCameraSettings& settings, const std::atomic<bool>& stop);
    ~SyntheticCamera();
    SyntheticCamera(const SyntheticCamera&) = delete;
    SyntheticCamera& operator=(const SyntheticCamera&) = delete;

    [[nodiscard]] const AVCodecParameters& codec() const { return m_encoder.codec(); }
    [[nodiscard]] AVRational time_base() const { return m_encoder.time_base(); }
    // The next encoded picture, when its time has come: 0, AVERROR_EXIT on stop, or an
    // encoder's error.
    int read(AVPacket& packet);

private:
    void draw(std::int64_t number);

    const std::atomic<bool>& m_stop;
    int m_fps;
    H264Encoder m_encoder;
    AVFrame* m_frame = nullptr;
    std::int64_t m_next = 0;  // the number of the next picture to draw
    std::chrono::steady_clock::time_point m_started;
};

}  // namespace exam
