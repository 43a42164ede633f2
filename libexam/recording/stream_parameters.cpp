#include "recording/stream_parameters.hpp"
#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace exam {
namespace {

// NAL unit types that carry parameter sets: H.264 SPS 7, PPS 8; H.265 VPS 32, SPS 33, PPS 34.
bool is_parameter_set(AVCodecID codec, std::uint8_t header) {
    if (codec == AV_CODEC_ID_H264) {
        const int type = header & 0x1f;
        return type == 7 || type == 8;
    }
    if (codec == AV_CODEC_ID_HEVC) {
        const int type = (header >> 1) & 0x3f;
        return type >= 32 && type <= 34;
    }
    return false;
}

struct ParserDeleter {
    void operator()(AVCodecParserContext* parser) const { av_parser_close(parser); }
};
struct ContextDeleter {
    void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};

}  // namespace

std::string parameter_sets_in(const AVPacket& packet, AVCodecID codec) {
    std::string sets;
    const std::uint8_t* data = packet.data;
    const int size = packet.size;
    // Start of each NAL unit's payload after a 00 00 01 start code.
    int begin = -1;
    const auto take = [&](int end) {
        if (begin >= 0 && begin < end && is_parameter_set(codec, data[begin])) {
            while (end > begin && data[end - 1] == 0) {
                --end;  // the leading zero of the next four-byte start code
            }
            sets += std::string("\0\0\0\1", 4);
            sets.append(reinterpret_cast<const char*>(data + begin),
                        static_cast<std::size_t>(end - begin));
        }
    };
    for (int i = 0; i + 2 < size; ++i) {
        if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
            take(i);
            begin = i + 3;
            i += 2;
        }
    }
    take(size);
    return sets;
}

void read_picture_size(AVCodecParameters& codec, const AVPacket& keyframe) {
    std::unique_ptr<AVCodecParserContext, ParserDeleter> parser{av_parser_init(codec.codec_id)};
    std::unique_ptr<AVCodecContext, ContextDeleter> context{avcodec_alloc_context3(nullptr)};
    if (!parser || !context) {
        return;
    }
    parser->flags |= PARSER_FLAG_COMPLETE_FRAMES;
    // The parser reads parameter sets from the stream itself: the extradata's first, when
    // they are Annex B too (an MP4 file's avcC record is not).
    std::string stream;
    if (codec.extradata != nullptr && codec.extradata_size > 3 && codec.extradata[0] == 0 &&
        codec.extradata[1] == 0) {
        stream.assign(reinterpret_cast<const char*>(codec.extradata),
                      static_cast<std::size_t>(codec.extradata_size));
    }
    stream.append(reinterpret_cast<const char*>(keyframe.data),
                  static_cast<std::size_t>(keyframe.size));
    stream.append(AV_INPUT_BUFFER_PADDING_SIZE, '\0');
    std::uint8_t* output = nullptr;
    int output_size = 0;
    av_parser_parse2(parser.get(), context.get(), &output, &output_size,
                     reinterpret_cast<const std::uint8_t*>(stream.data()),
                     static_cast<int>(stream.size() - AV_INPUT_BUFFER_PADDING_SIZE), keyframe.pts,
                     keyframe.dts, keyframe.pos);
    if (parser->width > 0 && parser->height > 0) {
        codec.width = parser->width;
        codec.height = parser->height;
    }
}

StreamParameters::StreamParameters(const AVCodecParameters& from_the_connection)
    : m_codec(avcodec_parameters_alloc()) {
    avcodec_parameters_copy(m_codec, &from_the_connection);
}

StreamParameters::~StreamParameters() {
    avcodec_parameters_free(&m_codec);
}

bool StreamParameters::changed_by(const AVPacket& keyframe) {
    std::size_t extradata_size = 0;
    const std::uint8_t* extradata =
        av_packet_get_side_data(&keyframe, AV_PKT_DATA_NEW_EXTRADATA, &extradata_size);
    std::string sets = extradata != nullptr
                           ? std::string(reinterpret_cast<const char*>(extradata), extradata_size)
                           : parameter_sets_in(keyframe, m_codec->codec_id);
    if (sets.empty() || sets == m_parameter_sets) {
        return false;
    }
    const bool first = m_parameter_sets.empty();
    m_parameter_sets = sets;
    // The first sets of a connection are usually those its description gave already.
    const std::string described(
        reinterpret_cast<const char*>(m_codec->extradata),
        m_codec->extradata != nullptr ? static_cast<std::size_t>(m_codec->extradata_size) : 0);
    if (first && (described.empty() || described.find(sets) != std::string::npos)) {
        return false;
    }
    adopt(sets, keyframe);
    return true;
}

void StreamParameters::adopt(const std::string& parameter_sets, const AVPacket& keyframe) {
    av_freep(&m_codec->extradata);
    m_codec->extradata = static_cast<std::uint8_t*>(
        av_mallocz(parameter_sets.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    std::memcpy(m_codec->extradata, parameter_sets.data(), parameter_sets.size());
    m_codec->extradata_size = static_cast<int>(parameter_sets.size());
    read_picture_size(*m_codec, keyframe);
}

std::string StreamParameters::describe() const {
    return fmt::format("{} {}x{}", avcodec_get_name(m_codec->codec_id), m_codec->width,
                       m_codec->height);
}

}  // namespace exam
