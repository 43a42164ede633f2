#include "recording/audio_timeline.hpp"
#include <algorithm>
#include <cmath>

#include "recording/rtp_packet.hpp"

namespace exam {
namespace {

constexpr int k_sender_report = 200;
constexpr double k_ntp_unit = 4294967296.0;  // 2^32: the fraction of an NTP time

}  // namespace

std::optional<SenderReport> find_sender_report(const std::uint8_t* packet, std::size_t size) {
    // A compound packet: RTCP packets one after another, each with its length in 32-bit words
    // less one (RFC 3550 6.4).
    std::size_t at = 0;
    while (at + 4 <= size) {
        const std::uint8_t* header = packet + at;
        if ((header[0] >> 6) != 2) {
            return std::nullopt;
        }
        const std::size_t length = 4 * (static_cast<std::size_t>((header[2] << 8) | header[3]) + 1);
        if (at + length > size) {
            return std::nullopt;
        }
        // SSRC, NTP time (64 bits), RTP time, then the sender's counts.
        if (header[1] == k_sender_report && length >= 28) {
            SenderReport report;
            report.ssrc = read_u32(header + 4);
            report.ntp_time =
                (static_cast<std::uint64_t>(read_u32(header + 8)) << 32) | read_u32(header + 12);
            report.rtp_time = read_u32(header + 16);
            return report;
        }
        at += length;
    }
    return std::nullopt;
}

std::int64_t AudioTimeline::unwrapped(std::uint32_t rtp_time) const {
    // Steps are taken modulo 2^32: the RTP clock wraps.
    return m_last_rtp_time ? m_unwrapped + static_cast<std::int32_t>(rtp_time - *m_last_rtp_time)
                           : 0;
}

std::int64_t AudioTimeline::offset_by_reports(const VideoPosition& video) const {
    // The video report's instant on the video's timeline; the audio report's instant is
    // (audio NTP - video NTP) later; both in audio units.
    const std::int64_t video_at_report =
        video.timestamp + static_cast<std::int32_t>(m_video_report->rtp_time - video.rtp_time);
    const double ntp_apart = static_cast<double>(static_cast<std::int64_t>(
                                 m_audio_report->ntp_time - m_video_report->ntp_time)) /
                             k_ntp_unit;
    const double audio_at_report =
        static_cast<double>(video_at_report) * m_audio_rate / m_video_rate +
        ntp_apart * m_audio_rate;
    return std::llround(audio_at_report) - unwrapped(m_audio_report->rtp_time);
}

std::int64_t AudioTimeline::place(std::uint32_t audio_rtp_time, const VideoPosition& video,
                                  std::chrono::steady_clock::time_point now) {
    m_unwrapped = unwrapped(audio_rtp_time);
    m_last_rtp_time = audio_rtp_time;
    if (!m_by_reports && m_video_report && m_audio_report) {
        m_offset = offset_by_reports(video);
        m_by_reports = true;
    }
    if (!m_offset) {
        // On arrival: the video's time now, run on from its latest picture.
        const double since = std::chrono::duration<double>(now - video.when).count();
        const double video_now =
            static_cast<double>(video.timestamp) / m_video_rate + std::max(since, 0.0);
        m_offset = std::llround(video_now * m_audio_rate) - m_unwrapped;
    }
    return m_unwrapped + *m_offset;
}

}  // namespace exam
