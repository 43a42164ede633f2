#include <memory>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
}

#include <exam/util/translate.hpp>

#include "devices/camera_sample.hpp"

namespace exam {
namespace {

struct InputDeleter {
    void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct DecoderDeleter {
    void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct PacketDeleter {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FrameDeleter {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};

std::string av_error_text(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

}  // namespace

std::optional<Sample> sample_recording(const std::filesystem::path& segment,
                                       std::chrono::milliseconds wanted,
                                       std::chrono::steady_clock::time_point give_up,
                                       std::string& problem) {
    av_log_set_level(AV_LOG_FATAL);
    AVFormatContext* raw = nullptr;
    if (const int opened = avformat_open_input(&raw, segment.c_str(), nullptr, nullptr);
        opened < 0) {
        problem = _f("cannot read {}: {}", segment.string(), av_error_text(opened));
        return std::nullopt;
    }
    const std::unique_ptr<AVFormatContext, InputDeleter> input{raw};
    const int video = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (video < 0) {
        problem = _f("{} holds no video", segment.string());
        return std::nullopt;
    }
    const AVStream& stream = *input->streams[video];
    const std::unique_ptr<AVPacket, PacketDeleter> packet{av_packet_alloc()};

    // First the packets alone (no decoding, so a minute of 1080p takes milliseconds): where
    // the keyframes are and where the synced part ends.
    std::vector<std::int64_t> keyframes;
    std::int64_t last = AV_NOPTS_VALUE;
    while (std::chrono::steady_clock::now() < give_up &&
           av_read_frame(input.get(), packet.get()) >= 0) {
        if (packet->stream_index == video && packet->pts != AV_NOPTS_VALUE) {
            if ((packet->flags & AV_PKT_FLAG_KEY) != 0) {
                keyframes.push_back(packet->pts);
            }
            last = std::max(last, packet->pts);
        }
        av_packet_unref(packet.get());
    }
    if (keyframes.empty()) {
        problem = _f("{} holds no keyframe yet", segment.string());
        return std::nullopt;
    }
    // Decoding starts at the last keyframe that leaves `wanted` before the end.
    const std::int64_t span = av_rescale_q(wanted.count(), AVRational{1, 1000}, stream.time_base);
    std::int64_t start = keyframes.front();
    for (const std::int64_t keyframe : keyframes) {
        if (keyframe <= last - span) {
            start = keyframe;
        }
    }
    if (av_seek_frame(input.get(), video, start, AVSEEK_FLAG_BACKWARD) < 0) {
        problem = _f("cannot seek in {}", segment.string());
        return std::nullopt;
    }

    const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
    const std::unique_ptr<AVCodecContext, DecoderDeleter> decoder{
        codec != nullptr ? avcodec_alloc_context3(codec) : nullptr};
    if (!decoder || avcodec_parameters_to_context(decoder.get(), stream.codecpar) < 0 ||
        avcodec_open2(decoder.get(), codec, nullptr) < 0) {
        problem = _f("cannot decode the {} video of {}",
                     avcodec_get_name(stream.codecpar->codec_id), segment.string());
        return std::nullopt;
    }
    const std::unique_ptr<AVFrame, FrameDeleter> frame{av_frame_alloc()};
    Sample sample;
    int width = 0;
    int height = 0;
    const auto take = [&] {
        while (avcodec_receive_frame(decoder.get(), frame.get()) == 0) {
            const AVPixFmtDescriptor* format =
                av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame->format));
            if (format != nullptr && (format->flags & AV_PIX_FMT_FLAG_RGB) == 0) {
                if (sample.frames > 0 && (frame->width != width || frame->height != height)) {
                    sample.size_changed = true;
                }
                width = frame->width;
                height = frame->height;
                sample.picture.add(
                    {frame->width, frame->height, frame->linesize[0], frame->data[0]});
                const double at_ms = static_cast<double>(av_rescale_q(
                    frame->best_effort_timestamp, stream.time_base, AVRational{1, 1000}));
                if (sample.first_ms < 0) {
                    sample.first_ms = at_ms;
                }
                sample.last_ms = at_ms;
                ++sample.frames;
            }
            av_frame_unref(frame.get());
        }
    };
    while (std::chrono::steady_clock::now() < give_up &&
           av_read_frame(input.get(), packet.get()) >= 0) {
        if (packet->stream_index == video) {
            avcodec_send_packet(decoder.get(), packet.get());
            take();
        }
        av_packet_unref(packet.get());
    }
    avcodec_send_packet(decoder.get(), nullptr);  // the decoder's last pictures
    take();
    return sample;
}

}  // namespace exam
