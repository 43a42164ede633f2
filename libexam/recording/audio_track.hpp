// A camera's sound as the segments keep it: AAC, copied as it came, or G.711 (μ-law, A-law)
// converted to AAC, since FFmpeg 5.1's MP4 muxer refuses pcm_mulaw and pcm_alaw: decoded by
// libavcodec's pcm_mulaw/pcm_alaw, encoded by its native aac encoder (mono, 24 kbit/s,
// frames of 1024 samples: 128 ms at 8 kHz, a few per cent of a core for 60 cameras).
// Frames come in with their times in the audio's clock on the video's timeline
// (audio_timeline.hpp, or libavformat's own); packets go out as stream 1 of the segment.
// Private to libexam-recording.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
}

#include "recording/audio_depacketizer.hpp"

namespace exam {

class AudioTrack {
public:
    // AAC, copied: `config` is its AudioSpecificConfig.
    AudioTrack(int sample_rate, int channels, std::span<const std::uint8_t> config);
    // G.711 at `sample_rate`, mono, converted to AAC. Throws DeviceError when FFmpeg lacks
    // the decoder or the encoder.
    AudioTrack(AudioCodec law, int sample_rate);
    ~AudioTrack();
    AudioTrack(const AudioTrack&) = delete;
    AudioTrack& operator=(const AudioTrack&) = delete;

    // One frame as the camera sent it (AAC frame, or G.711 samples), at `pts`.
    void add(std::span<const std::uint8_t> frame, std::int64_t pts);
    // The next packet for the segment (stream_index 1, in time_base()); false when none.
    bool next(AVPacket& packet);

    [[nodiscard]] const AVCodecParameters& codec() const { return *m_codec; }
    [[nodiscard]] AVRational time_base() const { return {1, m_sample_rate}; }
    // The index's name of what is kept: "aac".
    [[nodiscard]] static std::string kept_codec() { return "aac"; }
    // Whether the next segment keeps sound: not when the camera has sent none for a few
    // seconds (its sound stopped, or it sends garbage). `news` says when that changed, once.
    bool for_next_segment(RecordedText& news);

private:
    void queue(AVPacket* packet);
    void convert(std::span<const std::uint8_t> samples, std::int64_t pts);
    void encode_waiting_samples();

    struct CodecDeleter {
        void operator()(AVCodecParameters* codec) const { avcodec_parameters_free(&codec); }
    };
    struct ContextDeleter {
        void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
    };
    int m_sample_rate;
    std::unique_ptr<AVCodecParameters, CodecDeleter> m_codec;
    std::unique_ptr<AVCodecContext, ContextDeleter> m_decoder;  // G.711 only
    std::unique_ptr<AVCodecContext, ContextDeleter> m_encoder;  // G.711 only
    std::vector<float> m_samples;  // decoded, waiting for a whole AAC frame
    std::int64_t m_samples_pts = 0;
    std::deque<AVPacket*> m_packets;
    // Sound is expected from the start: the first segment is made ready for it.
    std::chrono::steady_clock::time_point m_last_sound = std::chrono::steady_clock::now();
    bool m_silent = false;  // said so: segments go on without sound
};

}  // namespace exam
