// Sound and picture on one timeline, as players expect: an RTP timestamp means nothing across
// tracks (each starts at a random number, at its own clock rate); the RTCP sender reports
// (RFC 3550 6.4.1) tie each track's RTP time to the camera's one NTP clock. An audio frame's
// RTP time becomes a time in the audio's clock units on the video's timeline (the recorder's
// unwrapped video timestamps, in the video's clock): then the segment starts both together.
//
// Until both tracks have had a report, sound is aligned on arrival (the frame's time is the
// video's at the moment it came); at the first pair of reports it is aligned by them, once,
// and stays so for the connection (a later report moves nothing, so the times only grow).
// Private to libexam-recording; pure arithmetic, tested on crafted bytes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace exam {

struct SenderReport {
    std::uint32_t ssrc = 0;
    std::uint64_t ntp_time = 0;  // seconds since 1900 in 32.32 fixed point
    std::uint32_t rtp_time = 0;  // the same instant on the track's RTP clock
};

// The sender report in a compound RTCP packet, or nullopt when it holds none or is malformed.
std::optional<SenderReport> find_sender_report(const std::uint8_t* packet, std::size_t size);

// Where the video's timeline is: the latest picture's RTP time, its unwrapped timestamp, and
// when it came.
struct VideoPosition {
    std::uint32_t rtp_time = 0;
    std::int64_t timestamp = 0;
    std::chrono::steady_clock::time_point when;
};

class AudioTimeline {
public:
    AudioTimeline(int video_clock_rate, int audio_clock_rate)
        : m_video_rate(video_clock_rate), m_audio_rate(audio_clock_rate) {}

    void video_report(const SenderReport& report) { m_video_report = report; }
    void audio_report(const SenderReport& report) { m_audio_report = report; }
    // The frame's time in audio clock units on the video's timeline.
    std::int64_t place(std::uint32_t audio_rtp_time, const VideoPosition& video,
                       std::chrono::steady_clock::time_point now);
    [[nodiscard]] bool aligned_by_reports() const { return m_by_reports; }

private:
    [[nodiscard]] std::int64_t unwrapped(std::uint32_t rtp_time) const;
    [[nodiscard]] std::int64_t offset_by_reports(const VideoPosition& video) const;

    int m_video_rate;
    int m_audio_rate;
    std::optional<SenderReport> m_video_report;
    std::optional<SenderReport> m_audio_report;
    std::optional<std::uint32_t> m_last_rtp_time;
    std::int64_t m_unwrapped = 0;  // the audio's RTP clock, from 0 at its first frame
    std::optional<std::int64_t> m_offset;
    bool m_by_reports = false;
};

}  // namespace exam
