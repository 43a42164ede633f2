#include "recording/h264_encoder.hpp"

extern "C" {
#include <libavutil/opt.h>
}

#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {

H264Encoder::H264Encoder(const EncoderSettings& settings) {
    const AVCodec* encoder = avcodec_find_encoder_by_name("libx264");
    if (encoder == nullptr) {
        encoder = avcodec_find_encoder(AV_CODEC_ID_H264);
    }
    if (encoder == nullptr) {
        throw DeviceError(_f("{} needs an H.264 encoder, and this FFmpeg has none", settings.who));
    }
    m_context = avcodec_alloc_context3(encoder);
    m_context->width = settings.width;
    m_context->height = settings.height;
    m_context->time_base = settings.time_base;
    m_context->framerate = AVRational{settings.fps, 1};
    m_context->pix_fmt = AV_PIX_FMT_YUV420P;
    m_context->gop_size = settings.fps;  // a keyframe a second, as cameras are set up
    m_context->max_b_frames = 0;
    m_context->thread_count = 1;  // one of many cameras: a thread each is enough
    m_context->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(m_context->priv_data, "preset", "ultrafast", 0);
    av_opt_set(m_context->priv_data, "tune", "zerolatency", 0);
    // Constant quality: a still classroom costs little, movement what it needs.
    av_opt_set(m_context->priv_data, "crf", "23", 0);
    if (const int opened = avcodec_open2(m_context, encoder, nullptr); opened < 0) {
        avcodec_free_context(&m_context);
        char text[AV_ERROR_MAX_STRING_SIZE] = {};
        av_strerror(opened, text, sizeof text);
        throw DeviceError(_f("{}: the H.264 encoder did not start: {}", settings.who, text));
    }
    m_codec = avcodec_parameters_alloc();
    avcodec_parameters_from_context(m_codec, m_context);
}

H264Encoder::~H264Encoder() {
    avcodec_parameters_free(&m_codec);
    avcodec_free_context(&m_context);
}

int H264Encoder::send(const AVFrame& picture) {
    return avcodec_send_frame(m_context, &picture);
}

int H264Encoder::receive(AVPacket& packet) {
    const int received = avcodec_receive_packet(m_context, &packet);
    packet.stream_index = 0;
    return received;
}

}  // namespace exam
