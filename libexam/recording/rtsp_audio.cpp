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

std::string audio_not_kept(const AudioDescription& audio) {
    if (audio.codec != "MPEG4-GENERIC" && audio.codec != "PCMU" && audio.codec != "PCMA") {
        return _f("its sound is {}, which is not kept (AAC and G.711 are)", audio.codec);
    }
    if (audio.clock_rate < k_lowest_audio_rate || audio.clock_rate > k_highest_audio_rate) {
        return _f("its sound's rate of {} Hz is not from {} to {} Hz", audio.clock_rate,
                  k_lowest_audio_rate, k_highest_audio_rate);
    }
    if (audio.codec != "MPEG4-GENERIC") {
        return audio.channels == 1
                   ? std::string{}
                   : _f("its G.711 sound has {} channels; only one is kept", audio.channels);
    }
    if (audio.channels < 1 || audio.channels > k_most_audio_channels) {
        return _f("its sound has {} channels, not 1 to {}", audio.channels,
                  k_most_audio_channels);
    }
    if (!parse_audio_config(audio.config)) {
        return _("its AAC sound's description has no config= of 1 to 64 bytes in hex");
    }
    const std::string mode = ascii_lower(audio.mode);
    if ((mode != "aac-hbr" && mode != "aac-lbr") || !is_supported(header_format(audio))) {
        return _f("its AAC sound is sent in the mode \"{}\" with AU-headers of {} size and {} "
                  "index bits; AAC-hbr and AAC-lbr are kept",
                  audio.mode, audio.size_length, audio.index_length);
    }
    return {};
}

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
