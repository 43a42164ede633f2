#include "recording/rtsp_camera.hpp"
#include <cstring>
#include <new>

#include <exam/util/duration.hpp>
#include <exam/util/translate.hpp>

#include "recording/camera_limits.hpp"
#include "recording/stream_parameters.hpp"

namespace exam {

RtspCamera::RtspCamera(RtspConnection& connection, const VideoDescription& video,
                       std::unique_ptr<RtspAudio> audio)
    : m_connection(connection),
      m_video(video),
      m_depacketizer(m_video.payload_type,
                     m_video.codec == "H264" ? VideoCodec::h264 : VideoCodec::h265),
      m_codec(avcodec_parameters_alloc()),
      m_clock_rate(m_video.clock_rate > 0 ? m_video.clock_rate : 90000),
      m_audio(std::move(audio)) {
    m_codec->codec_type = AVMEDIA_TYPE_VIDEO;
    m_codec->codec_id = m_video.codec == "H264" ? AV_CODEC_ID_H264 : AV_CODEC_ID_HEVC;
    // Nothing decodes before a keyframe; the first one also says the picture's size. A camera
    // that sends pictures but no keyframe within the answer timeout is as good as silent.
    const auto deadline = std::chrono::steady_clock::now() + m_connection.answer_timeout();
    m_last_unit = std::chrono::steady_clock::now();
    do {
        if (std::chrono::steady_clock::now() > deadline) {
            throw RtspFailure(
                RtspFailure::Kind::failed,
                _rf("the camera sends pictures but no keyframe within {}: set its keyframe "
                    "(I-frame) interval to one or two seconds",
                    format_span(m_connection.answer_timeout())));
        }
        m_first_keyframe = next_unit();
    } while (!m_first_keyframe->keyframe);

    std::string sets;
    for (const auto& set : m_video.parameter_sets) {
        sets.append("\0\0\0\1", 4);
        sets.append(reinterpret_cast<const char*>(set.data()), set.size());
    }
    const std::unique_ptr<AVPacket, void (*)(AVPacket*)> keyframe{
        av_packet_alloc(), [](AVPacket* packet) { av_packet_free(&packet); }};
    if (!keyframe) {
        throw std::bad_alloc{};
    }
    fill(*keyframe, *m_first_keyframe);
    if (sets.empty()) {
        sets = parameter_sets_in(*keyframe, m_codec->codec_id);  // given in-band only
    }
    m_codec->extradata =
        static_cast<std::uint8_t*>(av_mallocz(sets.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    if (m_codec->extradata == nullptr) {
        throw std::bad_alloc{};
    }
    std::memcpy(m_codec->extradata, sets.data(), sets.size());
    m_codec->extradata_size = static_cast<int>(sets.size());
    read_picture_size(*m_codec, *keyframe);
}

void RtspCamera::read(AVPacket& packet) {
    if (m_first_keyframe) {
        fill(packet, *m_first_keyframe);
        m_first_keyframe.reset();
        return;
    }
    if (m_audio && m_audio->track().next(packet)) {
        return;
    }
    fill(packet, next_unit());
}

AccessUnit RtspCamera::next_unit() {
    while (true) {
        if (auto unit = m_depacketizer.next()) {
            m_last_unit = std::chrono::steady_clock::now();
            return std::move(*unit);
        }
        // Packets that make no picture (another payload type than described, say) are as
        // good as none: the watchdog sees through them.
        if (std::chrono::steady_clock::now() - m_last_unit > m_connection.answer_timeout()) {
            if (m_depacketizer.oversized_dropped() > 0) {
                throw RtspFailure(
                    RtspFailure::Kind::failed,
                    _rf("the camera sends pictures larger than {} MiB, dropped as garbage ({} so "
                        "far), and no other picture for {}: check its stream settings",
                        k_largest_access_unit / (1024 * 1024), m_depacketizer.oversized_dropped(),
                        format_span(m_connection.answer_timeout())));
            }
            throw RtspFailure(
                RtspFailure::Kind::failed,
                _rf("the camera sends packets but no picture for {} (not the payload type its "
                    "description named, {}): check its stream settings",
                    format_span(m_connection.answer_timeout()), m_video.payload_type));
        }
        const RtpPacket packet = m_connection.next_packet();
        if (packet.track == RtpTrack::video && !packet.control) {
            m_depacketizer.push(packet.data.data(), packet.data.size());
        } else if (m_audio) {
            m_audio->take(packet, m_position);
        }
    }
}

void RtspCamera::fill(AVPacket& packet, const AccessUnit& unit) {
    if (m_last_rtp_time && unit.rtp_time != *m_last_rtp_time) {
        // The RTP clock wraps every 13 hours at 90 kHz: steps are taken modulo 2^32.
        m_timestamp += static_cast<std::int32_t>(unit.rtp_time - *m_last_rtp_time);
    }
    if (!m_last_rtp_time || unit.rtp_time != *m_last_rtp_time) {
        m_last_rtp_time = unit.rtp_time;
    }
    av_packet_unref(&packet);
    if (av_new_packet(&packet, static_cast<int>(unit.annex_b.size())) < 0) {
        throw std::bad_alloc{};
    }
    std::memcpy(packet.data, unit.annex_b.data(), unit.annex_b.size());
    // The RTP time is when the picture is shown; when it is decoded, picture_order.hpp derives.
    packet.pts = m_timestamp;
    packet.dts = AV_NOPTS_VALUE;
    m_position = VideoPosition{unit.rtp_time, m_timestamp, std::chrono::steady_clock::now()};
    packet.flags = unit.keyframe ? AV_PKT_FLAG_KEY : 0;
    packet.stream_index = 0;
}

}  // namespace exam
