// A contact sheet's pictures (exam/archive/contact_sheet.hpp): each tile's keyframe decoded
// with libavcodec, scaled by libswscale (bit-exact), drawn on by OpenCV and encoded as JPEG.
// Only keyframes are decoded — the keyframe at or before each tile's time — so a sheet over
// hours of video costs a read of the segments' packets and one decoding per tile, and the
// same files give the same picture whatever the decoder's threads do.
#include <memory>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <fmt/format.h>
#include <opencv2/core.hpp>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>
#include <exam/vision/stamp.hpp>

#include "devices/devices_api.hpp"

namespace exam {
namespace {

namespace fs = std::filesystem;

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
struct ScalerDeleter {
    void operator()(SwsContext* context) const { sws_freeContext(context); }
};
using Packet = std::unique_ptr<AVPacket, PacketDeleter>;

const cv::Scalar k_black{0, 0, 0};
const cv::Scalar k_white{255, 255, 255};
const cv::Scalar k_no_recording{k_no_recording_grey, k_no_recording_grey, k_no_recording_grey};

// The sheet's words, drawn with FreeType in the snapshots' font (DejaVu Sans): OpenCV's own
// fonts know no Cyrillic, and the labels are in the user's language.
class SheetText {
public:
    SheetText() {
        std::error_code error;
        if (!std::filesystem::is_regular_file(k_stamp_font, error)) {
            throw ConfigError(
                _f("the contact sheet's labels are drawn with the font {}, which is missing; "
                   "install Debian's package fonts-dejavu-core (apt install fonts-dejavu-core)",
                   k_stamp_font.string()));
        }
        m_drawer = cv::freetype::createFreeType2();
        m_drawer->loadFontData(k_stamp_font.string(), 0);
    }

    // `text` `height` pixels high, its top left at `top_left`.
    void at(cv::Mat& picture, const std::string& text, cv::Point top_left, int height) const {
        m_drawer->putText(picture, text, top_left, height, k_white, -1, cv::LINE_AA, false);
    }

    // `text` in the middle of `area`.
    void centred(cv::Mat area, const std::string& text, int height) const {
        int baseline = 0;
        const cv::Size box = m_drawer->getTextSize(text, height, -1, &baseline);
        at(area, text, {(area.cols - box.width) / 2, (area.rows - height) / 2}, height);
    }

private:
    cv::Ptr<cv::freetype::FreeType2> m_drawer;
};

std::string av_error_text(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

// `frame` fitted into `tile` (its shape kept, black bars around it).
void draw_picture(const AVFrame& frame, cv::Mat tile) {
    tile.setTo(k_black);
    const double scale = std::min(static_cast<double>(tile.cols) / frame.width,
                                  static_cast<double>(tile.rows) / frame.height);
    const int width = std::max(2, static_cast<int>(frame.width * scale) / 2 * 2);
    const int height = std::max(2, static_cast<int>(frame.height * scale) / 2 * 2);
    const std::unique_ptr<SwsContext, ScalerDeleter> scaler{
        sws_getContext(frame.width, frame.height, static_cast<AVPixelFormat>(frame.format), width,
                       height, AV_PIX_FMT_BGR24, SWS_BILINEAR | SWS_ACCURATE_RND | SWS_BITEXACT,
                       nullptr, nullptr, nullptr)};
    if (!scaler) {
        return;
    }
    cv::Mat target =
        tile(cv::Rect{(tile.cols - width) / 2, (tile.rows - height) / 2, width, height});
    std::uint8_t* planes[1] = {target.data};
    const int strides[1] = {static_cast<int>(target.step[0])};
    sws_scale(scaler.get(), frame.data, frame.linesize, 0, frame.height, planes, strides);
}

void draw_no_recording(cv::Mat tile, const SheetText& text) {
    tile.setTo(k_no_recording);
    text.centred(tile, _("no recording"), std::max(10, tile.rows / 9));
}

// One source's tiles: its packets read in order, the last keyframe at or before each tile's
// time decoded into the tile.
class SourceTiles {
public:
    explicit SourceTiles(const ContactSheetSource& source) : m_source(source) {
        AVFormatContext* raw = nullptr;
        int result = avformat_open_input(&raw, source.file.c_str(), nullptr, nullptr);
        m_input.reset(raw);
        if (result >= 0) {
            result = avformat_find_stream_info(raw, nullptr);
        }
        if (result >= 0) {
            result = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
        }
        if (result < 0) {
            throw InputError(_f("cannot read the segment {} for the contact sheet: {}",
                                source.file.string(), av_error_text(result)));
        }
        m_video = m_input->streams[result];
        const AVCodec* codec = avcodec_find_decoder(m_video->codecpar->codec_id);
        m_decoder.reset(codec != nullptr ? avcodec_alloc_context3(codec) : nullptr);
        if (m_decoder) {
            m_decoder->thread_count = 1;  // one picture at a time; no threads to start
        }
        if (!m_decoder || avcodec_parameters_to_context(m_decoder.get(), m_video->codecpar) < 0 ||
            avcodec_open2(m_decoder.get(), codec, nullptr) < 0) {
            throw InputError(_f("cannot decode the {} video of {} for the contact sheet",
                                avcodec_get_name(m_video->codecpar->codec_id),
                                source.file.string()));
        }
    }

    // Draws the picture for `at` into `tile`; the times come in rising order.
    void draw(TimePoint at, cv::Mat tile, const SheetText& text) {
        while (!m_ended && (m_next == nullptr || wall_of(*m_next) <= at)) {
            if (m_next != nullptr) {
                m_keyframe = std::move(m_next);
            }
            m_next = next_keyframe();
        }
        const AVPacket* keyframe = m_keyframe != nullptr ? m_keyframe.get() : m_next.get();
        if (keyframe == nullptr || !decode(*keyframe, tile)) {
            draw_no_recording(tile, text);
        }
    }

private:
    TimePoint wall_of(const AVPacket& packet) const {
        const std::int64_t shown = packet.pts != AV_NOPTS_VALUE ? packet.pts : packet.dts;
        return m_source.start +
               TimePoint::duration{av_rescale_q(shown, m_video->time_base, AVRational{1, 1000})};
    }

    Packet next_keyframe() {
        Packet packet{av_packet_alloc()};
        while (av_read_frame(m_input.get(), packet.get()) >= 0) {
            if (packet->stream_index == m_video->index && (packet->flags & AV_PKT_FLAG_KEY) != 0) {
                return packet;
            }
            av_packet_unref(packet.get());
        }
        m_ended = true;
        return nullptr;
    }

    bool decode(const AVPacket& keyframe, cv::Mat tile) {
        avcodec_flush_buffers(m_decoder.get());
        const std::unique_ptr<AVFrame, FrameDeleter> frame{av_frame_alloc()};
        if (avcodec_send_packet(m_decoder.get(), &keyframe) < 0) {
            return false;
        }
        avcodec_send_packet(m_decoder.get(), nullptr);  // a keyframe alone: drain it
        if (avcodec_receive_frame(m_decoder.get(), frame.get()) < 0) {
            return false;
        }
        draw_picture(*frame, tile);
        return true;
    }

    const ContactSheetSource& m_source;
    std::unique_ptr<AVFormatContext, InputDeleter> m_input;
    const AVStream* m_video = nullptr;
    std::unique_ptr<AVCodecContext, DecoderDeleter> m_decoder;
    Packet m_keyframe;  // the last keyframe at or before the time asked
    Packet m_next;      // the one after it
    bool m_ended = false;
};

}  // namespace
}  // namespace exam

std::vector<std::uint8_t> exam_devices_contact_sheet(
    std::span<const exam::ContactSheetSource> sources,
    const std::vector<exam::ContactSheetTile>& tiles, exam::TimeRange range,
    const exam::TimeZone& zone, std::string_view title, const exam::ContactSheetLayout& layout) {
    using namespace exam;
    av_log_set_level(AV_LOG_FATAL);
    cv::Mat sheet(layout.height(), layout.width(), CV_8UC3, k_black);
    const std::string heading =
        fmt::format("{}   {} - {}", title, zone.format_labelled(range.from, TimePrecision::seconds),
                    zone.format_labelled(range.to, TimePrecision::seconds));
    const SheetText text;
    const int heading_height = std::max(10, layout.title_height * 4 / 10);
    text.at(sheet, heading, {12, (layout.title_height - heading_height) / 2}, heading_height);

    // Tiles in time order share an open source: each file is read once.
    std::unique_ptr<SourceTiles> open;
    std::optional<std::size_t> open_index;
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const ContactSheetTile& tile = tiles[i];
        const cv::Rect picture{layout.tile_x(i), layout.tile_y(i), layout.tile_width,
                               layout.tile_height};
        if (!tile.source) {
            draw_no_recording(sheet(picture), text);
        } else {
            if (open_index != tile.source) {
                open = std::make_unique<SourceTiles>(sources[*tile.source]);
                open_index = tile.source;
            }
            open->draw(tile.at, sheet(picture), text);
        }
        // A thin dark line between tiles, then the time below the picture.
        cv::rectangle(sheet, picture, k_black, 1);
        const std::string shown = zone.format_for_display(tile.at, TimePrecision::seconds);
        const cv::Rect label{picture.x, picture.y + picture.height, picture.width,
                             layout.label_height};
        text.centred(sheet(label), shown.substr(shown.find(' ') + 1),
                     std::max(8, layout.label_height * 6 / 10));
    }
    std::vector<std::uint8_t> jpeg;
    cv::imencode(".jpg", sheet, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85});
    return jpeg;
}
