#include "recording/audio_track.hpp"
#include <algorithm>
#include <cstring>
#include <new>

#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "recording/camera_limits.hpp"

namespace exam {
namespace {

constexpr int k_aac_frame_samples = 1024;
constexpr std::int64_t k_aac_bit_rate = 24'000;
// No sound for this long: the camera's sound has stopped (or is garbage) as far as the next
// segment is concerned.
constexpr std::chrono::seconds k_sound_stopped{3};

struct FrameDeleter {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
using Frame = std::unique_ptr<AVFrame, FrameDeleter>;
struct PacketDeleter {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
using Packet = std::unique_ptr<AVPacket, PacketDeleter>;

AVCodecContext* open_codec(const AVCodec* codec, int sample_rate, AVSampleFormat format,
                           bool global_header) {
    if (codec == nullptr) {
        return nullptr;
    }
    AVCodecContext* context = avcodec_alloc_context3(codec);
    if (context == nullptr) {
        throw std::bad_alloc{};
    }
    context->sample_rate = sample_rate;
    context->sample_fmt = format;
    context->time_base = {1, sample_rate};
    av_channel_layout_default(&context->ch_layout, 1);
    if (global_header) {
        context->bit_rate = k_aac_bit_rate;
        context->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // the MP4 muxer wants it as extradata
    }
    if (avcodec_open2(context, codec, nullptr) < 0) {
        avcodec_free_context(&context);
        return nullptr;
    }
    return context;
}

}  // namespace

AudioTrack::AudioTrack(int sample_rate, int channels, std::span<const std::uint8_t> config)
    : m_sample_rate(sample_rate), m_codec(avcodec_parameters_alloc()) {
    if (!m_codec) {
        throw std::bad_alloc{};
    }
    m_codec->codec_type = AVMEDIA_TYPE_AUDIO;
    m_codec->codec_id = AV_CODEC_ID_AAC;
    m_codec->sample_rate = sample_rate;
    m_codec->frame_size = k_aac_frame_samples;
    av_channel_layout_default(&m_codec->ch_layout, channels);
    m_codec->extradata =
        static_cast<std::uint8_t*>(av_mallocz(config.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    if (m_codec->extradata == nullptr) {
        throw std::bad_alloc{};
    }
    std::memcpy(m_codec->extradata, config.data(), config.size());
    m_codec->extradata_size = static_cast<int>(config.size());
}

AudioTrack::AudioTrack(AudioCodec law, int sample_rate)
    : m_sample_rate(sample_rate), m_codec(avcodec_parameters_alloc()) {
    if (!m_codec) {
        throw std::bad_alloc{};
    }
    m_decoder.reset(open_codec(avcodec_find_decoder(law == AudioCodec::pcmu ? AV_CODEC_ID_PCM_MULAW
                                                                            : AV_CODEC_ID_PCM_ALAW),
                               sample_rate, AV_SAMPLE_FMT_S16, false));
    m_encoder.reset(
        open_codec(avcodec_find_encoder_by_name("aac"), sample_rate, AV_SAMPLE_FMT_FLTP, true));
    if (!m_decoder || !m_encoder) {
        throw DeviceError(
            _("FFmpeg's pcm_mulaw or pcm_alaw decoder or its aac encoder cannot be opened: the "
              "camera's G.711 sound cannot be converted (install FFmpeg's libavcodec with them)"));
    }
    avcodec_parameters_from_context(m_codec.get(), m_encoder.get());
    // Segments begin mid-stream: the encoder's priming samples are before every segment's start.
    m_codec->initial_padding = 0;
}

AudioTrack::~AudioTrack() {
    for (AVPacket* packet : m_packets) {
        av_packet_free(&packet);
    }
}

bool AudioTrack::for_next_segment(RecordedText& news) {
    const bool sounding = std::chrono::steady_clock::now() - m_last_sound <= k_sound_stopped;
    if (sounding == m_silent) {
        m_silent = !sounding;
        news = sounding ? _rf("the camera's sound is back: kept again from this segment on")
                        : _rf("the camera sent no sound for {} s: its picture is recorded "
                              "without sound from this segment on",
                              k_sound_stopped.count());
    }
    return sounding;
}

void AudioTrack::add(std::span<const std::uint8_t> frame, std::int64_t pts) {
    if (frame.empty() || frame.size() > k_largest_audio_frame) {
        return;
    }
    m_last_sound = std::chrono::steady_clock::now();
    if (m_encoder) {
        convert(frame, pts);
        return;
    }
    Packet packet{av_packet_alloc()};
    if (!packet || av_new_packet(packet.get(), static_cast<int>(frame.size())) < 0) {
        throw std::bad_alloc{};
    }
    std::memcpy(packet->data, frame.data(), frame.size());
    packet->pts = packet->dts = pts;
    packet->duration = k_aac_frame_samples;
    packet->flags = AV_PKT_FLAG_KEY;
    queue(packet.release());
}

bool AudioTrack::next(AVPacket& packet) {
    if (m_packets.empty()) {
        return false;
    }
    AVPacket* first = m_packets.front();
    m_packets.pop_front();
    av_packet_unref(&packet);
    av_packet_move_ref(&packet, first);
    av_packet_free(&first);
    packet.stream_index = 1;
    return true;
}

void AudioTrack::queue(AVPacket* packet) {
    if (m_packets.size() >= k_most_audio_frames_waiting) {
        av_packet_free(&m_packets.front());  // nobody takes them: sound never piles up
        m_packets.pop_front();
    }
    m_packets.push_back(packet);
}

void AudioTrack::convert(std::span<const std::uint8_t> samples, std::int64_t pts) {
    // Samples that do not follow on from those waiting (a jump of the camera's clock, lost
    // packets, the alignment by the sender reports) start a frame of their own.
    const auto expected = m_samples_pts + static_cast<std::int64_t>(m_samples.size());
    if (!m_samples.empty() && std::abs(pts - expected) > m_sample_rate / 10) {
        m_samples.clear();
    }
    if (m_samples.empty()) {
        m_samples_pts = pts;
    }
    Packet packet{av_packet_alloc()};
    Frame decoded{av_frame_alloc()};
    if (!packet || !decoded) {
        throw std::bad_alloc{};
    }
    packet->data = const_cast<std::uint8_t*>(samples.data());  // read only by the decoder
    packet->size = static_cast<int>(samples.size());
    if (avcodec_send_packet(m_decoder.get(), packet.get()) < 0) {
        return;
    }
    while (avcodec_receive_frame(m_decoder.get(), decoded.get()) == 0) {
        const auto* pcm = reinterpret_cast<const std::int16_t*>(decoded->data[0]);
        for (int i = 0; i < decoded->nb_samples; ++i) {
            m_samples.push_back(static_cast<float>(pcm[i]) / 32768.0F);
        }
        av_frame_unref(decoded.get());
    }
    encode_waiting_samples();
}

void AudioTrack::encode_waiting_samples() {
    const auto frame_samples = static_cast<std::size_t>(m_encoder->frame_size);
    while (m_samples.size() >= frame_samples) {
        Frame frame{av_frame_alloc()};
        if (!frame) {
            throw std::bad_alloc{};
        }
        frame->nb_samples = m_encoder->frame_size;
        frame->format = AV_SAMPLE_FMT_FLTP;
        frame->sample_rate = m_sample_rate;
        av_channel_layout_copy(&frame->ch_layout, &m_encoder->ch_layout);
        if (av_frame_get_buffer(frame.get(), 0) < 0) {
            throw std::bad_alloc{};
        }
        std::memcpy(frame->data[0], m_samples.data(), frame_samples * sizeof(float));
        frame->pts = m_samples_pts;
        m_samples.erase(m_samples.begin(),
                        m_samples.begin() + static_cast<std::ptrdiff_t>(frame_samples));
        m_samples_pts += static_cast<std::int64_t>(frame_samples);
        if (avcodec_send_frame(m_encoder.get(), frame.get()) < 0) {
            return;
        }
        while (true) {
            Packet packet{av_packet_alloc()};
            if (!packet) {
                throw std::bad_alloc{};
            }
            if (avcodec_receive_packet(m_encoder.get(), packet.get()) < 0) {
                break;
            }
            queue(packet.release());
        }
    }
}

}  // namespace exam
