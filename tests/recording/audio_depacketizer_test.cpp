// RTP packets written byte by byte as RFC 3640 (AAC-hbr) and RFC 3551 (G.711) describe them,
// against the frames that must come out.
#include "recording/audio_depacketizer.hpp"

#include <gtest/gtest.h>

#include "recording/camera_limits.hpp"
#include "recording/session_description.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes rtp(int payload_type, std::uint16_t sequence, std::uint32_t time, bool marker,
          const Bytes& payload) {
    Bytes packet{0x80,
                 static_cast<std::uint8_t>((marker ? 0x80 : 0) | payload_type),
                 static_cast<std::uint8_t>(sequence >> 8),
                 static_cast<std::uint8_t>(sequence),
                 static_cast<std::uint8_t>(time >> 24),
                 static_cast<std::uint8_t>(time >> 16),
                 static_cast<std::uint8_t>(time >> 8),
                 static_cast<std::uint8_t>(time),
                 0x12,
                 0x34,
                 0x56,
                 0x78};
    packet.insert(packet.end(), payload.begin(), payload.end());
    return packet;
}

// AAC-hbr: AU-headers-length in bits, then 16 bits per frame (13 size, 3 index), then frames.
Bytes aac_payload(const std::vector<Bytes>& frames, std::size_t claimed_first_size = 0) {
    Bytes payload{0, static_cast<std::uint8_t>(16 * frames.size())};
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const std::size_t size =
            i == 0 && claimed_first_size > 0 ? claimed_first_size : frames[i].size();
        payload.push_back(static_cast<std::uint8_t>(size >> 5));
        payload.push_back(static_cast<std::uint8_t>((size & 0x1f) << 3));
    }
    for (const Bytes& frame : frames) {
        payload.insert(payload.end(), frame.begin(), frame.end());
    }
    return payload;
}

void push(exam::AudioDepacketizer& depacketizer, const Bytes& packet) {
    depacketizer.push(packet.data(), packet.size());
}

TEST(AudioDepacketizer, SeveralAacFramesInOnePacketComeOutWithTheirOwnTimes) {
    exam::AudioDepacketizer depacketizer{97, exam::AudioCodec::aac};
    push(depacketizer, rtp(97, 1, 5000, true, aac_payload({{1, 2, 3}, {4, 5}, {6}})));
    const auto first = depacketizer.next();
    const auto second = depacketizer.next();
    const auto third = depacketizer.next();
    ASSERT_TRUE(first && second && third);
    EXPECT_EQ(first->data, (Bytes{1, 2, 3}));
    EXPECT_EQ(first->rtp_time, 5000U);
    EXPECT_EQ(second->data, (Bytes{4, 5}));
    EXPECT_EQ(second->rtp_time, 6024U);
    EXPECT_EQ(third->data, Bytes{6});
    EXPECT_EQ(third->rtp_time, 7048U);
    EXPECT_FALSE(depacketizer.next());
}

TEST(AudioDepacketizer, AFrameFragmentedOverPacketsIsPutTogetherUpToTheMarker) {
    exam::AudioDepacketizer depacketizer{97, exam::AudioCodec::aac};
    push(depacketizer, rtp(97, 1, 0, false, aac_payload({{1, 2}}, 4)));
    EXPECT_FALSE(depacketizer.next());
    push(depacketizer, rtp(97, 2, 0, true, aac_payload({{3, 4}}, 4)));
    const auto frame = depacketizer.next();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, (Bytes{1, 2, 3, 4}));
}

TEST(AudioDepacketizer, AFragmentWhosePartWasLostIsDropped) {
    exam::AudioDepacketizer depacketizer{97, exam::AudioCodec::aac};
    push(depacketizer, rtp(97, 1, 0, false, aac_payload({{1, 2}}, 4)));
    push(depacketizer, rtp(97, 3, 0, true, aac_payload({{3, 4}}, 4)));
    EXPECT_FALSE(depacketizer.next());
    EXPECT_EQ(depacketizer.packets_lost(), 1U);
    push(depacketizer, rtp(97, 4, 1024, true, aac_payload({{9}})));
    ASSERT_TRUE(depacketizer.next());
}

TEST(AudioDepacketizer, HeadersThatPromiseMoreThanThePacketHoldsAreDropped) {
    exam::AudioDepacketizer depacketizer{97, exam::AudioCodec::aac};
    // Two frames claimed, the second larger than what is left.
    Bytes payload = aac_payload({{1, 2}, {3, 4}});
    payload.pop_back();
    push(depacketizer, rtp(97, 1, 0, true, payload));
    // A header section longer than the packet.
    push(depacketizer, rtp(97, 2, 0, true, Bytes{0xff, 0xff, 1, 2}));
    // Interleaved frames (an index that is not 0).
    push(depacketizer, rtp(97, 3, 0, true, Bytes{0, 16, 0, 0x0b, 7}));
    EXPECT_FALSE(depacketizer.next());
    EXPECT_EQ(depacketizer.malformed(), 3U);
}

TEST(AudioDepacketizer, AFrameLargerThanTheLimitIsDroppedAndMemoryStaysBounded) {
    // Sizes of 16 bits: one frame announced one byte over the limit, its first fragment here.
    exam::AudioDepacketizer wide{97, exam::AudioCodec::aac, {16, 0, 0}};
    const std::size_t too_large = exam::k_largest_audio_frame + 1;
    push(wide, rtp(97, 1, 0, false,
                   Bytes{0, 16, static_cast<std::uint8_t>(too_large >> 8),
                         static_cast<std::uint8_t>(too_large), 1}));
    EXPECT_FALSE(wide.next());
    EXPECT_EQ(wide.malformed(), 1U);
    exam::AudioDepacketizer depacketizer{97, exam::AudioCodec::aac};
    // Nobody takes the frames: only the newest k_most_audio_frames_waiting stay.
    for (std::uint16_t i = 0; i < exam::k_most_audio_frames_waiting + 10; ++i) {
        push(depacketizer, rtp(97, static_cast<std::uint16_t>(2 + i), i * 1024U, true,
                               aac_payload({{static_cast<std::uint8_t>(i)}})));
    }
    std::size_t waiting = 0;
    while (depacketizer.next()) {
        ++waiting;
    }
    EXPECT_EQ(waiting, exam::k_most_audio_frames_waiting);
}

TEST(AudioDepacketizer, AacLbrHeadersOfSixAndTwoBitsAreRead) {
    exam::AudioDepacketizer depacketizer{97, exam::AudioCodec::aac, {6, 2, 2}};
    // One header of 8 bits: size 3 (000011), index 0 (00).
    push(depacketizer, rtp(97, 1, 0, true, Bytes{0, 8, 0x0c, 7, 8, 9}));
    const auto frame = depacketizer.next();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, (Bytes{7, 8, 9}));
}

TEST(AudioDepacketizer, AG711PacketIsOneFrameOfItsSamplesAndOtherPayloadTypesAreIgnored) {
    exam::AudioDepacketizer depacketizer{0, exam::AudioCodec::pcmu};
    push(depacketizer, rtp(0, 1, 160, false, Bytes{0xff, 0x7f, 0x00}));
    push(depacketizer, rtp(96, 2, 320, false, Bytes{1, 2}));  // the video's, say
    const auto frame = depacketizer.next();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->data, (Bytes{0xff, 0x7f, 0x00}));
    EXPECT_EQ(frame->rtp_time, 160U);
    EXPECT_FALSE(depacketizer.next());
}

TEST(AudioDepacketizer, TheConfigIsHexOfAtMostTheLimit) {
    EXPECT_EQ(exam::parse_audio_config("1210"), (Bytes{0x12, 0x10}));
    EXPECT_FALSE(exam::parse_audio_config(""));
    EXPECT_FALSE(exam::parse_audio_config("12g0"));
    EXPECT_FALSE(exam::parse_audio_config(std::string(2 * exam::k_longest_audio_config + 2, 'a')));
}

}  // namespace

namespace {

// What the session description's audio parts give, for the cameras the recorder keeps.
exam::AudioDescription described(const std::string& sdp_audio) {
    const auto session = exam::parse_session_description(
        "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n" + sdp_audio);
    EXPECT_TRUE(session.audio);
    return session.audio.value_or(exam::AudioDescription{});
}

TEST(AudioNotKept, AnAacHbrAndAG711CameraAreKept) {
    const auto aac = described(
        "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/44100/2\r\n"
        "a=fmtp:97 streamtype=5;profile-level-id=2;mode=AAC-hbr;config=1210;sizelength=13;"
        "indexlength=3;indexdeltalength=3\r\n");
    EXPECT_EQ(exam::audio_not_kept(aac).shown, "");
    EXPECT_EQ(aac.channels, 2);
    EXPECT_EQ(exam::parse_audio_config(aac.config), (Bytes{0x12, 0x10}));
    EXPECT_EQ(exam::audio_not_kept(described("m=audio 0 RTP/AVP 0\r\n")).shown, "");
    EXPECT_EQ(exam::audio_not_kept(described("m=audio 0 RTP/AVP 8\r\n")).shown, "");
}

TEST(AudioNotKept, OtherCodecsModesAndNonsenseAreSaidInWords) {
    EXPECT_NE(exam::audio_not_kept(described("m=audio 0 RTP/AVP 2\r\na=rtpmap:2 G726-32/8000\r\n"))
                  .shown.find("G726-32"),
              std::string::npos);
    const auto no_config = described(
        "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/16000\r\n"
        "a=fmtp:97 mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3\r\n");
    EXPECT_NE(exam::audio_not_kept(no_config).shown.find("config="), std::string::npos);
    const auto generic = described(
        "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/16000\r\n"
        "a=fmtp:97 mode=generic;config=1408;sizelength=40\r\n");
    EXPECT_NE(exam::audio_not_kept(generic).shown.find("generic"), std::string::npos);
    const auto fast = described("m=audio 0 RTP/AVP 97\r\na=rtpmap:97 PCMU/1000000\r\n");
    EXPECT_NE(exam::audio_not_kept(fast).shown, "");
}

}  // namespace
