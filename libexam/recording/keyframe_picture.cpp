// A keyframe decoded on its own: libavcodec with one thread (a single picture gains nothing
// from more, and the service staggers its cameras instead), libswscale for the grey and BGR
// planes. Nothing is kept between calls: a camera's keyframes may come half a minute apart and
// change size or codec in between.
#include <algorithm>
#include <cstring>
#include <memory>

extern "C" {
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "recording/keyframe_copy.hpp"
#include "recording/segment_writer.hpp"

namespace exam {
namespace {

struct DecoderDeleter {
    void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct PacketDeleter {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FrameDeleter {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct ScalerDeleter {
    void operator()(SwsContext* context) const { sws_freeContext(context); }
};
using Frame = std::unique_ptr<AVFrame, FrameDeleter>;

std::string codec_name(int codec_id) {
    return avcodec_get_name(static_cast<AVCodecID>(codec_id));
}

Frame decode(const Keyframe& keyframe) {
    const AVCodec* codec = avcodec_find_decoder(static_cast<AVCodecID>(keyframe.codec_id));
    if (codec == nullptr) {
        throw InputError(
            _f("cannot decode the camera's {} keyframe: this FFmpeg has no decoder "
               "for it",
               codec_name(keyframe.codec_id)));
    }
    const std::unique_ptr<AVCodecContext, DecoderDeleter> decoder{avcodec_alloc_context3(codec)};
    if (!decoder) {
        throw std::bad_alloc();
    }
    decoder->thread_count = 1;
    decoder->width = keyframe.width;
    decoder->height = keyframe.height;
    if (!keyframe.extradata.empty()) {
        // FFmpeg reads a little past the end of what it is given: it must be padded.
        decoder->extradata = static_cast<std::uint8_t*>(
            av_mallocz(keyframe.extradata.size() + AV_INPUT_BUFFER_PADDING_SIZE));
        if (decoder->extradata == nullptr) {
            throw std::bad_alloc();
        }
        std::memcpy(decoder->extradata, keyframe.extradata.data(), keyframe.extradata.size());
        decoder->extradata_size = static_cast<int>(keyframe.extradata.size());
    }
    const std::unique_ptr<AVPacket, PacketDeleter> packet{av_packet_alloc()};
    Frame frame{av_frame_alloc()};
    if (!packet || !frame ||
        av_new_packet(packet.get(), static_cast<int>(keyframe.data.size())) < 0) {
        throw std::bad_alloc();
    }
    std::copy(keyframe.data.begin(), keyframe.data.end(), packet->data);
    packet->flags |= AV_PKT_FLAG_KEY;
    int result = avcodec_open2(decoder.get(), codec, nullptr);
    if (result >= 0) {
        result = avcodec_send_packet(decoder.get(), packet.get());
    }
    if (result >= 0) {
        avcodec_send_packet(decoder.get(), nullptr);  // the keyframe alone: drain it
        result = avcodec_receive_frame(decoder.get(), frame.get());
    }
    // A damaged keyframe decodes to a picture patched up by error concealment: judged, it would
    // be a false alarm (or hide a real one), and stamped it would mislead.
    const bool damaged = result >= 0 && (frame->decode_error_flags != 0 ||
                                         (frame->flags & AV_FRAME_FLAG_CORRUPT) != 0);
    if (result < 0 || damaged || frame->width <= 0 || frame->height <= 0) {
        throw InputError(_f("the camera's {} keyframe ({} bytes) does not decode to a picture: {}",
                            codec_name(keyframe.codec_id), keyframe.data.size(),
                            result < 0 ? av_error_text(result)
                            : damaged  ? _("it is damaged")
                                       : _("no picture in it")));
    }
    return frame;
}

// The size `frame` is scaled to: at most `max_width` wide (0: no limit), its shape kept, even.
std::pair<int, int> scaled_size(const AVFrame& frame, int max_width) {
    if (max_width <= 0 || frame.width <= max_width) {
        return {frame.width, frame.height};
    }
    const int height =
        static_cast<int>(static_cast<std::int64_t>(frame.height) * max_width / frame.width);
    return {max_width, std::max(2, height / 2 * 2)};
}

// One plane of `format` made from the frame: BGR from all its planes, grey from its luma alone
// (no range conversion: the analysis's thresholds are set on the luma as decoders give it).
std::vector<std::uint8_t> convert(const AVFrame& frame, int width, int height,
                                  AVPixelFormat format) {
    const bool gray = format == AV_PIX_FMT_GRAY8;
    const int bytes_per_pixel = gray ? 1 : 3;
    std::vector<std::uint8_t> plane(static_cast<std::size_t>(width) *
                                    static_cast<std::size_t>(height) *
                                    static_cast<std::size_t>(bytes_per_pixel));
    if (gray && width == frame.width && height == frame.height) {
        for (int row = 0; row < height; ++row) {
            const std::uint8_t* from =
                frame.data[0] + static_cast<std::ptrdiff_t>(row) * frame.linesize[0];
            std::copy(from, from + width, plane.begin() + static_cast<std::ptrdiff_t>(row) * width);
        }
        return plane;
    }
    const AVPixelFormat source = gray ? AV_PIX_FMT_GRAY8 : static_cast<AVPixelFormat>(frame.format);
    const std::unique_ptr<SwsContext, ScalerDeleter> scaler{
        sws_getContext(frame.width, frame.height, source, width, height, format, SWS_BILINEAR,
                       nullptr, nullptr, nullptr)};
    if (!scaler) {
        throw InputError(_f("cannot convert the keyframe's {} picture",
                            av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format))));
    }
    std::uint8_t* planes[1] = {plane.data()};
    const int strides[1] = {width * bytes_per_pixel};
    if (gray) {
        const std::uint8_t* const luma[1] = {frame.data[0]};
        const int luma_stride[1] = {frame.linesize[0]};
        sws_scale(scaler.get(), luma, luma_stride, 0, frame.height, planes, strides);
    } else {
        sws_scale(scaler.get(), frame.data, frame.linesize, 0, frame.height, planes, strides);
    }
    return plane;
}

}  // namespace

Keyframe keyframe_from(const AVCodecParameters& codec, const AVPacket& packet, TimePoint time) {
    Keyframe keyframe;
    keyframe.codec_id = static_cast<int>(codec.codec_id);
    keyframe.width = codec.width;
    keyframe.height = codec.height;
    if (codec.extradata != nullptr && codec.extradata_size > 0) {
        keyframe.extradata.assign(codec.extradata, codec.extradata + codec.extradata_size);
    }
    if (packet.data != nullptr && packet.size > 0) {
        keyframe.data.assign(packet.data, packet.data + packet.size);
    }
    keyframe.time = time;
    return keyframe;
}

DecodedPicture decode_keyframe(const Keyframe& keyframe, const DecodeOptions& options) {
    if (keyframe.data.empty()) {
        throw InputError(_f("the camera's {} keyframe is empty", codec_name(keyframe.codec_id)));
    }
    const Frame frame = decode(keyframe);
    DecodedPicture picture;
    std::tie(picture.width, picture.height) = scaled_size(*frame, options.max_width);
    if (options.planes != DecodedPlanes::bgr) {
        picture.gray = convert(*frame, picture.width, picture.height, AV_PIX_FMT_GRAY8);
    }
    if (options.planes != DecodedPlanes::gray) {
        picture.bgr = convert(*frame, picture.width, picture.height, AV_PIX_FMT_BGR24);
    }
    return picture;
}

}  // namespace exam
