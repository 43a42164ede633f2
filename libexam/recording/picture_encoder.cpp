#include "recording/picture_encoder.hpp"

extern "C" {
#include <libswscale/swscale.h>
}

#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {

bool delivers_pictures(const AVCodecParameters& codec) {
    return codec.codec_id == AV_CODEC_ID_RAWVIDEO || codec.codec_id == AV_CODEC_ID_MJPEG;
}

PictureEncoder::PictureEncoder(const AVCodecParameters& input, AVRational time_base, int fps,
                               const std::string& who)
    : m_encoder({.width = input.width,
                 .height = input.height,
                 .time_base = time_base,
                 .fps = fps > 0 ? fps : 25,
                 .who = who}) {
    const AVCodec* decoder = avcodec_find_decoder(input.codec_id);
    m_decoder = decoder != nullptr ? avcodec_alloc_context3(decoder) : nullptr;
    if (m_decoder == nullptr || avcodec_parameters_to_context(m_decoder, &input) < 0 ||
        avcodec_open2(m_decoder, decoder, nullptr) < 0) {
        avcodec_free_context(&m_decoder);
        throw DeviceError(
            _f("{}: cannot decode its {} pictures", who, avcodec_get_name(input.codec_id)));
    }
    m_decoder->pkt_timebase = time_base;
    m_decoded = av_frame_alloc();
    m_converted = av_frame_alloc();
    m_input = av_packet_alloc();
}

PictureEncoder::~PictureEncoder() {
    sws_freeContext(m_scaler);
    av_packet_free(&m_input);
    av_frame_free(&m_converted);
    av_frame_free(&m_decoded);
    avcodec_free_context(&m_decoder);
}

int PictureEncoder::read(AVPacket& packet, const std::function<int(AVPacket&)>& read_input) {
    while (true) {
        const int encoded = m_encoder.receive(packet);
        if (encoded != AVERROR(EAGAIN)) {
            return encoded;
        }
        const int decoded = avcodec_receive_frame(m_decoder, m_decoded);
        if (decoded == 0) {
            const int sent = encode(*m_decoded);
            av_frame_unref(m_decoded);
            if (sent < 0) {
                return sent;
            }
            continue;
        }
        if (decoded == AVERROR_INVALIDDATA) {
            continue;  // one broken picture (common over USB) is skipped, not a reconnect
        }
        if (decoded != AVERROR(EAGAIN)) {
            return decoded;
        }
        const int read = read_input(*m_input);
        if (read < 0) {
            return read;
        }
        const int sent = avcodec_send_packet(m_decoder, m_input);
        av_packet_unref(m_input);
        if (sent < 0 && sent != AVERROR_INVALIDDATA) {
            return sent;  // a broken picture is skipped; a broken decoder is not
        }
    }
}

int PictureEncoder::encode(AVFrame& decoded) {
    const AVCodecParameters& out = m_encoder.codec();
    if (decoded.width != out.width || decoded.height != out.height) {
        return AVERROR_INPUT_CHANGED;  // a new size: the recorder starts over with it
    }
    AVFrame* picture = &decoded;
    if (decoded.format != AV_PIX_FMT_YUV420P) {
        m_scaler = sws_getCachedContext(
            m_scaler, decoded.width, decoded.height, static_cast<AVPixelFormat>(decoded.format),
            out.width, out.height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr);
        if (m_scaler == nullptr) {
            return AVERROR(EINVAL);
        }
        if (m_converted->data[0] == nullptr) {
            m_converted->format = AV_PIX_FMT_YUV420P;
            m_converted->width = out.width;
            m_converted->height = out.height;
            if (const int allocated = av_frame_get_buffer(m_converted, 0); allocated < 0) {
                return allocated;
            }
        }
        // The encoder may still hold the previous picture's buffer.
        if (const int writable = av_frame_make_writable(m_converted); writable < 0) {
            return writable;
        }
        sws_scale(m_scaler, decoded.data, decoded.linesize, 0, decoded.height, m_converted->data,
                  m_converted->linesize);
        picture = m_converted;
    }
    // The encoder counts time in the source's time base: the picture keeps its time (made
    // to grow, which the encoder insists on).
    std::int64_t time = decoded.best_effort_timestamp != AV_NOPTS_VALUE
                            ? decoded.best_effort_timestamp
                            : decoded.pts;
    if (time == AV_NOPTS_VALUE || (m_last_time != AV_NOPTS_VALUE && time <= m_last_time)) {
        time = m_last_time == AV_NOPTS_VALUE ? 0 : m_last_time + 1;
    }
    m_last_time = time;
    picture->pts = time;
    return m_encoder.send(*picture);
}

}  // namespace exam
