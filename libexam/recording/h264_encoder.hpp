// The recorder's one encoder: pictures in (YUV 4:2:0), H.264 out as a camera would send it
// (a keyframe a second, no B-frames, parameter sets in the header), for the sources that
// deliver pictures rather than a stream: the built-in test camera and USB cameras.
// Private to libexam-recording.
#pragma once

#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace exam {

struct EncoderSettings {
    int width = 0;
    int height = 0;
    AVRational time_base{1, 25};  // of the pictures' timestamps
    int fps = 25;
    // Which source, for the messages: "the test camera", "camera front".
    std::string who;
};

class H264Encoder {
public:
    // Throws DeviceError when this FFmpeg has no H.264 encoder or it refuses the settings.
    explicit H264Encoder(const EncoderSettings& settings);
    ~H264Encoder();
    H264Encoder(const H264Encoder&) = delete;
    H264Encoder& operator=(const H264Encoder&) = delete;

    [[nodiscard]] const AVCodecParameters& codec() const { return *m_codec; }
    [[nodiscard]] AVRational time_base() const { return m_context->time_base; }
    // avcodec_send_frame and avcodec_receive_packet, with the packet's stream set.
    int send(const AVFrame& picture);
    int receive(AVPacket& packet);

private:
    AVCodecContext* m_context = nullptr;
    AVCodecParameters* m_codec = nullptr;
};

}  // namespace exam
