#include "recording/rtsp_audio.hpp"

#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "recording/camera_limits.hpp"

namespace exam {
namespace {

AudioCodec codec_of(const AudioDescription& audio) {
    if (audio.codec == "PCMU") {
        return AudioCodec::pcmu;
    }
    return audio.codec == "PCMA" ? AudioCodec::pcma : AudioCodec::aac;
}

// RFC 3640's AAC-lbr leaves no room for other values; AAC-hbr's are the defaults.
AacHeaderFormat header_format(const AudioDescription& audio) {
    AacHeaderFormat format;
    format.size_length = audio.size_length;
    format.index_length = audio.index_length;
    format.index_delta_length = audio.index_delta_length;
    return format;
}

}  // namespace

RtspAudio::RtspAudio(const AudioDescription& audio, int video_clock_rate)
    : m_depacketizer(audio.payload_type, codec_of(audio), header_format(audio)),
      m_timeline(video_clock_rate, audio.clock_rate) {
    const AudioCodec codec = codec_of(audio);
    if (codec == AudioCodec::aac) {
        const auto config = parse_audio_config(audio.config).value_or(std::vector<std::uint8_t>{});
        m_track = std::make_unique<AudioTrack>(audio.clock_rate, audio.channels, config);
    } else {
        m_track = std::make_unique<AudioTrack>(codec, audio.clock_rate);
    }
}

void RtspAudio::take(const RtpPacket& packet, const std::optional<VideoPosition>& video) {
    if (packet.control) {
        if (const auto report = find_sender_report(packet.data.data(), packet.data.size())) {
            if (packet.track == RtpTrack::video) {
                m_timeline.video_report(*report);
            } else {
                m_timeline.audio_report(*report);
            }
        }
        return;
    }
    if (packet.track != RtpTrack::audio) {
        return;
    }
    m_depacketizer.push(packet.data.data(), packet.data.size());
    const auto now = std::chrono::steady_clock::now();
    while (auto frame = m_depacketizer.next()) {
        if (video) {
            m_track->add(frame->data, m_timeline.place(frame->rtp_time, *video, now));
        }
    }
}

}  // namespace exam
