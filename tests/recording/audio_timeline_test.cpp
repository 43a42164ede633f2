// The RTCP sender reports' arithmetic on crafted packets: sound placed on the video's timeline.
#include "recording/audio_timeline.hpp"

#include <gtest/gtest.h>

namespace {

using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

void put_u32(Bytes& bytes, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        bytes.push_back(static_cast<std::uint8_t>(value >> shift));
    }
}

// A sender report (PT 200, no report blocks) for `seconds` of NTP time and `rtp_time`.
Bytes sender_report(std::uint32_t ssrc, double seconds, std::uint32_t rtp_time) {
    Bytes packet{0x80, 200, 0, 6};
    put_u32(packet, ssrc);
    const auto whole = static_cast<std::uint32_t>(seconds);
    put_u32(packet, 3'900'000'000U + whole);
    put_u32(packet, static_cast<std::uint32_t>((seconds - whole) * 4294967296.0));
    put_u32(packet, rtp_time);
    put_u32(packet, 10);    // packets sent
    put_u32(packet, 1000);  // bytes sent
    return packet;
}

TEST(AudioTimeline, TheSenderReportIsFoundInACompoundPacket) {
    Bytes compound{0x81, 201, 0, 1, 0, 0, 0, 1};  // a receiver report first
    const Bytes report = sender_report(0xabcd, 1.5, 123456);
    compound.insert(compound.end(), report.begin(), report.end());
    const auto found = exam::find_sender_report(compound.data(), compound.size());
    ASSERT_TRUE(found);
    EXPECT_EQ(found->ssrc, 0xabcdU);
    EXPECT_EQ(found->rtp_time, 123456U);
    EXPECT_EQ(found->ntp_time >> 32, 3'900'000'001U);
}

TEST(AudioTimeline, ATruncatedOrForeignPacketHasNoReport) {
    Bytes report = sender_report(1, 0, 0);
    report.resize(20);
    EXPECT_FALSE(exam::find_sender_report(report.data(), report.size()));
    const Bytes rtp{0x80, 96, 0, 1};
    EXPECT_FALSE(exam::find_sender_report(rtp.data(), rtp.size()));
}

TEST(AudioTimeline, SoundIsPlacedByTheReportsOnTheVideosTimeline) {
    // Video at 90 kHz, sound at 8 kHz. Both reports name NTP time 10 s; the video's picture at
    // RTP 900000 is its timestamp 0; the sound's RTP time then was 50000.
    exam::AudioTimeline timeline{90000, 8000};
    const exam::VideoPosition video{900000, 0, Clock::now()};
    const Bytes video_report = sender_report(1, 10.0, 900000);
    const Bytes audio_report = sender_report(2, 10.0, 50000);
    timeline.video_report(*exam::find_sender_report(video_report.data(), video_report.size()));
    timeline.audio_report(*exam::find_sender_report(audio_report.data(), audio_report.size()));
    // Half a second of sound later: at 0.5 s of the video's timeline, in 8 kHz units.
    EXPECT_EQ(timeline.place(54000, video, Clock::now()), 4000);
    EXPECT_TRUE(timeline.aligned_by_reports());
    EXPECT_EQ(timeline.place(54160, video, Clock::now()), 4160);
}

TEST(AudioTimeline, BeforeTheReportsSoundIsPlacedOnArrivalThenOnceByThem) {
    exam::AudioTimeline timeline{90000, 8000};
    const auto now = Clock::now();
    // The latest picture is at 2 s (timestamp 180000), and came just now.
    const exam::VideoPosition video{4000, 180000, now};
    EXPECT_EQ(timeline.place(70000, video, now), 16000);
    EXPECT_FALSE(timeline.aligned_by_reports());
    EXPECT_EQ(timeline.place(70160, video, now), 16160);
    // The reports say the sound's RTP 70320 is the video's RTP 4000 + 0.1 s.
    const Bytes video_report = sender_report(1, 20.0, 4000);
    const Bytes audio_report = sender_report(2, 20.1, 70320);
    timeline.video_report(*exam::find_sender_report(video_report.data(), video_report.size()));
    timeline.audio_report(*exam::find_sender_report(audio_report.data(), audio_report.size()));
    EXPECT_EQ(timeline.place(70320, video, now), 16000 + 800);
    EXPECT_TRUE(timeline.aligned_by_reports());
}

TEST(AudioTimeline, TheAudioClockWrapsWithoutAJump) {
    exam::AudioTimeline timeline{90000, 8000};
    const auto now = Clock::now();
    const exam::VideoPosition video{0, 0, now};
    const std::int64_t before = timeline.place(0xffffff00U, video, now);
    EXPECT_EQ(timeline.place(0x00000100U, video, now), before + 0x200);
}

}  // namespace
