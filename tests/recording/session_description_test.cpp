// Session descriptions as GStreamer's RTSP server and common IP cameras write them.
#include "recording/session_description.hpp"

#include <gtest/gtest.h>

namespace {

TEST(SessionDescription, TheVideoStreamsCodecControlAndParameterSetsAreRead) {
    const auto session = exam::parse_session_description(
        "v=0\r\n"
        "o=- 1188340656180883 1 IN IP4 192.168.1.64\r\n"
        "s=Media Presentation\r\n"
        "a=control:*\r\n"
        "m=audio 0 RTP/AVP 0\r\n"
        "a=control:trackID=2\r\n"
        "m=video 0 RTP/AVP 96\r\n"
        "c=IN IP4 0.0.0.0\r\n"
        "a=rtpmap:96 H264/90000\r\n"
        "a=fmtp:96 profile-level-id=420029; packetization-mode=1; "
        "sprop-parameter-sets=Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==\r\n"
        "a=control:trackID=1\r\n");
    EXPECT_EQ(session.control, "*");
    ASSERT_TRUE(session.video);
    EXPECT_EQ(session.video->payload_type, 96);
    EXPECT_EQ(session.video->codec, "H264");
    EXPECT_EQ(session.video->clock_rate, 90000);
    EXPECT_EQ(session.video->control, "trackID=1");
    EXPECT_EQ(session.video->packetization_mode, 1);
    ASSERT_EQ(session.video->parameter_sets.size(), 2u);
    EXPECT_EQ(session.video->parameter_sets[0][0], 0x67);  // SPS
    EXPECT_EQ(session.video->parameter_sets[1],
              (std::vector<std::uint8_t>{0x68, 0xce, 0x3c, 0x80}));  // PPS, padding kept
}

TEST(SessionDescription, H265ParameterSetsComeInDecodingOrder) {
    // pps, sps, vps on the line; padding left off; another payload's fmtp beside it.
    const auto session = exam::parse_session_description(
        "v=0\nm=video 0 RTP/AVP 98\na=rtpmap:98 h265/90000\n"
        "a=fmtp:96 sprop-parameter-sets=aM48gA\n"
        "a=fmtp:98 sprop-pps=RAHA; sprop-sps=QgEB; sprop-vps=QAEM\n");
    ASSERT_TRUE(session.video);
    EXPECT_EQ(session.video->codec, "H265");
    ASSERT_EQ(session.video->parameter_sets.size(), 3u) << "the fmtp of payload 96 is not ours";
    EXPECT_EQ(session.video->parameter_sets[0][0], 0x40);  // VPS
    EXPECT_EQ(session.video->parameter_sets[1][0], 0x42);  // SPS
    EXPECT_EQ(session.video->parameter_sets[2][0], 0x44);  // PPS
    EXPECT_FALSE(session.video->decoding_order_numbers);
    EXPECT_TRUE(session.video->control.empty());
    EXPECT_TRUE(exam::parse_session_description("m=video 0 RTP/AVP 98\na=rtpmap:98 H265/90000\n"
                                                "a=fmtp:98 sprop-max-don-diff=2\n")
                    .video->decoding_order_numbers);
}

TEST(SessionDescription, TheFirstOfSeveralFormatsIsTheOneRead) {
    const auto session = exam::parse_session_description(
        "v=0\r\nm=video 0 RTP/AVP 96 97\r\na=rtpmap:96 H264/90000\r\na=rtpmap:97 H265/90000\r\n");
    ASSERT_TRUE(session.video);
    EXPECT_EQ(session.video->payload_type, 96);
    EXPECT_EQ(session.video->codec, "H264");
}

TEST(SessionDescription, NoVideoMeansNone) {
    EXPECT_FALSE(exam::parse_session_description("v=0\r\nm=audio 0 RTP/AVP 0\r\n").video);
    EXPECT_FALSE(exam::parse_session_description("").video);
}

TEST(SessionDescription, ControlsResolveAgainstTheBase) {
    EXPECT_EQ(exam::resolve_control("rtsp://h:554/live", "trackID=1"),
              "rtsp://h:554/live/trackID=1");
    EXPECT_EQ(exam::resolve_control("rtsp://h:554/live/", "stream=0"),
              "rtsp://h:554/live/stream=0");
    EXPECT_EQ(exam::resolve_control("rtsp://h:554/live", "*"), "rtsp://h:554/live");
    EXPECT_EQ(exam::resolve_control("rtsp://h:554/live", ""), "rtsp://h:554/live");
    EXPECT_EQ(exam::resolve_control("rtsp://h:554/live", "rtsp://other:8554/x"),
              "rtsp://other:8554/x");
    EXPECT_EQ(exam::resolve_control("rtsp://h:554/live/main", "/track1"), "rtsp://h:554/track1");
}

}  // namespace

namespace {

// Issue 11 item 1: a number that is not one, or too large for its field, is never guessed at:
// it becomes a value RtspConnection::start refuses (payload type, clock rate) or a feature this
// reader lacks (packetization mode, decoding-order numbers).
TEST(SessionDescription, NumbersThatAreNotNumbersAreNotGuessed) {
    const auto huge = exam::parse_session_description(
        "v=0\r\nm=video 0 RTP/AVP 99999999999999999999\r\n"
        "a=rtpmap:99999999999999999999 H264/90000\r\n");
    ASSERT_TRUE(huge.video);
    EXPECT_EQ(huge.video->payload_type, -1);
    const auto nonsense = exam::parse_session_description(
        "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/99999999999999\r\n"
        "a=fmtp:96 packetization-mode=x;sprop-max-don-diff=99999999999999999999\r\n");
    ASSERT_TRUE(nonsense.video);
    EXPECT_EQ(nonsense.video->payload_type, 96);
    EXPECT_EQ(nonsense.video->clock_rate, -1);
    EXPECT_EQ(nonsense.video->packetization_mode, -1);
    EXPECT_TRUE(nonsense.video->decoding_order_numbers);
}

}  // namespace

namespace {

// Issue 12: the camera's sound is described beside its picture.
TEST(SessionDescription, AnAacStreamsLayoutAndConfigAreRead) {
    const auto session = exam::parse_session_description(
        "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:stream=0\r\n"
        "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/44100/2\r\n"
        "a=fmtp:97 streamtype=5;profile-level-id=2;mode=AAC-hbr;config=1210;sizelength=13;"
        "indexlength=3;indexdeltalength=3\r\na=control:stream=1\r\n");
    ASSERT_TRUE(session.video);
    EXPECT_EQ(session.video->control, "stream=0");
    ASSERT_TRUE(session.audio);
    EXPECT_EQ(session.audio->payload_type, 97);
    EXPECT_EQ(session.audio->codec, "MPEG4-GENERIC");
    EXPECT_EQ(session.audio->clock_rate, 44100);
    EXPECT_EQ(session.audio->channels, 2);
    EXPECT_EQ(session.audio->config, "1210");
    EXPECT_EQ(session.audio->mode, "AAC-hbr");
    EXPECT_EQ(session.audio->size_length, 13);
    EXPECT_EQ(session.audio->index_length, 3);
    EXPECT_EQ(session.audio->index_delta_length, 3);
    EXPECT_EQ(session.audio->control, "stream=1");
}

TEST(SessionDescription, G711WithoutAnRtpmapIsNamedByItsStaticPayloadType) {
    const auto mu_law = exam::parse_session_description(
        "v=0\r\nm=audio 0 RTP/AVP 0\r\na=control:track2\r\nm=video 0 RTP/AVP 96\r\n"
        "a=rtpmap:96 H265/90000\r\n");
    ASSERT_TRUE(mu_law.audio);
    EXPECT_EQ(mu_law.audio->codec, "PCMU");
    EXPECT_EQ(mu_law.audio->clock_rate, 8000);
    EXPECT_EQ(mu_law.audio->channels, 1);
    EXPECT_EQ(mu_law.audio->control, "track2");
    ASSERT_TRUE(mu_law.video);
    EXPECT_EQ(mu_law.video->codec, "H265");
    const auto a_law =
        exam::parse_session_description("v=0\r\nm=audio 0 RTP/AVP 8\r\nm=video 0 RTP/AVP 96\r\n");
    ASSERT_TRUE(a_law.audio);
    EXPECT_EQ(a_law.audio->codec, "PCMA");
}

TEST(SessionDescription, OnlyTheFirstVideoAndAudioStreamsAreRead) {
    const auto session = exam::parse_session_description(
        "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
        "m=video 0 RTP/AVP 98\r\na=rtpmap:98 H265/90000\r\na=control:second\r\n"
        "m=audio 0 RTP/AVP 0\r\nm=audio 0 RTP/AVP 8\r\na=control:other\r\n");
    ASSERT_TRUE(session.video);
    EXPECT_EQ(session.video->codec, "H264");
    EXPECT_EQ(session.video->control, "");
    ASSERT_TRUE(session.audio);
    EXPECT_EQ(session.audio->codec, "PCMU");
    EXPECT_EQ(session.audio->control, "");
}

}  // namespace
