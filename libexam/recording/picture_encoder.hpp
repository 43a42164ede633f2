// For sources that deliver pictures instead of a compressed stream: a USB camera (V4L2) gives
// raw frames (YUYV and the like) or JPEG pictures, and so may a file or an HTTP camera. Each
// picture is decoded, converted to YUV 4:2:0 when it is not, and encoded as H.264, so that
// every recording is a stream a player and the export take alike. The stream-copy path never
// comes here: only what cannot be stored as it came.
// Private to libexam-recording.
#pragma once

#include <functional>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
}

#include "recording/h264_encoder.hpp"

struct SwsContext;

namespace exam {

// Raw pictures and JPEG pictures: what the recorder encodes instead of copying.
bool delivers_pictures(const AVCodecParameters& codec);

class PictureEncoder {
public:
    // `input` and `time_base` are the source stream's; `fps` its picture rate. Throws
    // DeviceError when its pictures cannot be decoded or the encoder will not start.
    PictureEncoder(const AVCodecParameters& input, AVRational time_base, int fps,
                   const std::string& who);
    ~PictureEncoder();
    PictureEncoder(const PictureEncoder&) = delete;
    PictureEncoder& operator=(const PictureEncoder&) = delete;

    [[nodiscard]] const AVCodecParameters& codec() const { return m_encoder.codec(); }
    [[nodiscard]] AVRational time_base() const { return m_encoder.time_base(); }
    // The next encoded picture, made from the packets `read_input` delivers (0 for one
    // more, an error ends it); that error, or the decoder's or encoder's.
    int read(AVPacket& packet, const std::function<int(AVPacket&)>& read_input);

private:
    int encode(AVFrame& decoded);

    AVCodecContext* m_decoder = nullptr;
    H264Encoder m_encoder;
    SwsContext* m_scaler = nullptr;
    AVFrame* m_decoded = nullptr;
    AVFrame* m_converted = nullptr;
    AVPacket* m_input = nullptr;
    std::int64_t m_last_time = AV_NOPTS_VALUE;
};

}  // namespace exam
