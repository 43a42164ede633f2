// RTP packets written byte by byte as RFC 6184 describes them, against the Annex B pictures
// that must come out.
#include "recording/rtp_depacketizer.hpp"

#include <gtest/gtest.h>

#include "recording/camera_limits.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

// An RTP header (version 2, payload type 96) followed by `payload`.
Bytes rtp(std::uint16_t sequence, std::uint32_t time, bool marker, const Bytes& payload) {
    Bytes packet{0x80,
                 static_cast<std::uint8_t>((marker ? 0x80 : 0) | 96),
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

void push(exam::RtpDepacketizer& depacketizer, const Bytes& packet) {
    depacketizer.push(packet.data(), packet.size());
}

const Bytes k_sps{0x67, 0x42, 0xc0, 0x1e};
const Bytes k_pps{0x68, 0xce, 0x3c, 0x80};
const Bytes k_idr{0x65, 0x88, 0x84, 0x00, 0x33};
const Bytes k_slice{0x41, 0x9a, 0x02};

Bytes annex_b(std::initializer_list<Bytes> units) {
    Bytes out;
    for (const Bytes& unit : units) {
        out.insert(out.end(), {0, 0, 0, 1});
        out.insert(out.end(), unit.begin(), unit.end());
    }
    return out;
}

TEST(RtpDepacketizer, SingleUnitsUpToTheMarkerMakeOnePicture) {
    exam::RtpDepacketizer depacketizer{96, exam::VideoCodec::h264};
    push(depacketizer, rtp(1, 9000, false, k_sps));
    push(depacketizer, rtp(2, 9000, false, k_pps));
    EXPECT_FALSE(depacketizer.next());
    push(depacketizer, rtp(3, 9000, true, k_idr));
    const auto picture = depacketizer.next();
    ASSERT_TRUE(picture);
    EXPECT_EQ(picture->annex_b, annex_b({k_sps, k_pps, k_idr}));
    EXPECT_EQ(picture->rtp_time, 9000u);
    EXPECT_TRUE(picture->keyframe);
    EXPECT_FALSE(depacketizer.next());
}

TEST(RtpDepacketizer, AnAggregateIsSplitIntoItsUnits) {
    exam::RtpDepacketizer depacketizer{96, exam::VideoCodec::h264};
    Bytes stap{0x18, 0x00, 0x04};
    stap.insert(stap.end(), k_sps.begin(), k_sps.end());
    stap.insert(stap.end(), {0x00, 0x04});
    stap.insert(stap.end(), k_pps.begin(), k_pps.end());
    push(depacketizer, rtp(7, 100, false, stap));
    push(depacketizer, rtp(8, 100, true, k_idr));
    const auto picture = depacketizer.next();
    ASSERT_TRUE(picture);
    EXPECT_EQ(picture->annex_b, annex_b({k_sps, k_pps, k_idr}));
}

TEST(RtpDepacketizer, FragmentsAreJoinedUnderTheirRebuiltHeader) {
    exam::RtpDepacketizer depacketizer{96, exam::VideoCodec::h264};
    // An IDR slice (nal_ref_idc 3, type 5) in three FU-A fragments.
    push(depacketizer, rtp(10, 500, false, {0x7c, 0x85, 0x88, 0x84}));
    push(depacketizer, rtp(11, 500, false, {0x7c, 0x05, 0x00}));
    push(depacketizer, rtp(12, 500, true, {0x7c, 0x45, 0x33}));
    const auto picture = depacketizer.next();
    ASSERT_TRUE(picture);
    EXPECT_EQ(picture->annex_b, annex_b({{0x65, 0x88, 0x84, 0x00, 0x33}}));
    EXPECT_TRUE(picture->keyframe);
}

TEST(RtpDepacketizer, ANewTimestampEndsAPictureWhoseMarkerWasMissing) {
    exam::RtpDepacketizer depacketizer{96, exam::VideoCodec::h264};
    push(depacketizer, rtp(1, 1000, false, k_slice));
    push(depacketizer, rtp(2, 4600, true, k_slice));
    const auto first = depacketizer.next();
    const auto second = depacketizer.next();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->rtp_time, 1000u);
    EXPECT_EQ(second->rtp_time, 4600u);
    EXPECT_FALSE(first->keyframe);
    EXPECT_EQ(second->annex_b, annex_b({k_slice}));
}

TEST(RtpDepacketizer, AFragmentWithALostPieceIsDroppedAndTheRestKept) {
    exam::RtpDepacketizer depacketizer{96, exam::VideoCodec::h264};
    push(depacketizer, rtp(20, 700, false, k_slice));
    push(depacketizer, rtp(21, 700, false, {0x5c, 0x81, 0xaa}));
    // 22 never arrives.
    push(depacketizer, rtp(23, 700, true, {0x5c, 0x41, 0xbb}));
    const auto picture = depacketizer.next();
    ASSERT_TRUE(picture);
    EXPECT_EQ(picture->annex_b, annex_b({k_slice}));
    EXPECT_EQ(depacketizer.packets_lost(), 1u);
}

TEST(RtpDepacketizer, APictureWhoseIdrSliceWasLostIsNoKeyframe) {
    exam::RtpDepacketizer depacketizer{96, exam::VideoCodec::h264};
    push(depacketizer, rtp(30, 900, false, k_sps));
    push(depacketizer, rtp(31, 900, false, {0x7c, 0x85, 0x88}));  // the IDR's first fragment
    // 32, its end, never arrives.
    push(depacketizer, rtp(33, 900, true, k_slice));
    const auto picture = depacketizer.next();
    ASSERT_TRUE(picture);
    EXPECT_EQ(picture->annex_b, annex_b({k_sps, k_slice}));
    EXPECT_FALSE(picture->keyframe) << "a segment must not start at a keyframe without its IDR";
}

TEST(RtpDepacketizer, PaddingExtensionsAndOtherPayloadTypesAreHandled) {
    exam::RtpDepacketizer depacketizer{96, exam::VideoCodec::h264};
    Bytes other = rtp(1, 1, true, k_slice);
    other[1] = 0x80 | 97;
    push(depacketizer, other);
    EXPECT_FALSE(depacketizer.next()) << "payload type 97 is not the video";

    // X bit: a one-word extension; P bit: two bytes of padding, the last saying how many.
    Bytes packet = rtp(2, 2, true, {});
    packet[0] |= 0x30;
    packet.insert(packet.end(), {0xbe, 0xde, 0x00, 0x01, 0x10, 0x20, 0x30, 0x40});
    packet.insert(packet.end(), k_slice.begin(), k_slice.end());
    packet.insert(packet.end(), {0x00, 0x02});
    push(depacketizer, packet);
    const auto picture = depacketizer.next();
    ASSERT_TRUE(picture);
    EXPECT_EQ(picture->annex_b, annex_b({k_slice}));

    const Bytes truncated{0x80, 0xe0, 0x00};
    push(depacketizer, truncated);
    EXPECT_FALSE(depacketizer.next());
}

// H.265: two-byte NAL headers. VPS 32, SPS 33, PPS 34, an IDR (19) and a trailing picture (1).
const Bytes k_vps{0x40, 0x01, 0x0c};
const Bytes k_h265_idr{0x26, 0x01, 0xaf, 0x08};
const Bytes k_h265_slice{0x02, 0x01, 0xd0};

TEST(RtpDepacketizer, H265UnitsAggregatesAndFragmentsMakeOnePicture) {
    exam::RtpDepacketizer depacketizer{96, exam::VideoCodec::h265};
    // An aggregation packet (type 48) with the VPS, then the IDR in two fragments (type 49).
    Bytes aggregate{0x60, 0x01, 0x00, 0x03};
    aggregate.insert(aggregate.end(), k_vps.begin(), k_vps.end());
    push(depacketizer, rtp(1, 3000, false, aggregate));
    push(depacketizer, rtp(2, 3000, false, {0x62, 0x01, 0x93, 0xaf}));  // S, type 19
    push(depacketizer, rtp(3, 3000, true, {0x62, 0x01, 0x53, 0x08}));   // E, type 19
    const auto picture = depacketizer.next();
    ASSERT_TRUE(picture);
    EXPECT_EQ(picture->annex_b, annex_b({k_vps, k_h265_idr}));
    EXPECT_TRUE(picture->keyframe);

    push(depacketizer, rtp(4, 6600, true, k_h265_slice));
    const auto next = depacketizer.next();
    ASSERT_TRUE(next);
    EXPECT_EQ(next->annex_b, annex_b({k_h265_slice}));
    EXPECT_FALSE(next->keyframe);
}

}  // namespace

namespace {

// Issue 11 item 10: a camera's endless fragment or never-marked picture grew the recorder by
// the camera's bitrate until the watchdog fired. Past the limit the picture is dropped and
// counted; the next picture comes whole.
TEST(RtpDepacketizer, AFragmentThatNeverEndsIsDroppedAtTheLimitAndTheNextPictureComesWhole) {
    exam::RtpDepacketizer depacketizer{96, exam::VideoCodec::h264};
    Bytes start{0x7c, 0x85};  // FU-A, start bit, an IDR slice
    Bytes middle{0x7c, 0x05};
    start.resize(60002, 0x42);
    middle.resize(60002, 0x42);
    push(depacketizer, rtp(1, 9000, false, start));
    std::uint16_t sequence = 2;
    for (std::size_t sent = 0; sent < exam::k_largest_access_unit * 2; sent += 60000) {
        push(depacketizer, rtp(sequence++, 9000, false, middle));
    }
    EXPECT_FALSE(depacketizer.next());
    EXPECT_EQ(depacketizer.oversized_dropped(), 1u);
    EXPECT_EQ(depacketizer.packets_lost(), 0u);
    push(depacketizer, rtp(sequence++, 12000, true, k_idr));
    const auto picture = depacketizer.next();
    ASSERT_TRUE(picture);
    EXPECT_EQ(picture->annex_b, annex_b({k_idr}));
    EXPECT_EQ(picture->rtp_time, 12000u);
}

TEST(RtpDepacketizer, APictureNeverClosedIsDroppedAtTheLimitUpToItsMarker) {
    exam::RtpDepacketizer depacketizer{96, exam::VideoCodec::h264};
    Bytes slice{0x41};
    slice.resize(60001, 0x42);
    std::uint16_t sequence = 1;
    for (std::size_t sent = 0; sent < exam::k_largest_access_unit + 120000; sent += 60000) {
        push(depacketizer, rtp(sequence++, 9000, false, slice));
    }
    EXPECT_EQ(depacketizer.oversized_dropped(), 1u);
    // Its last packet, marked, is dropped with it; the next picture, of the same timestamp as
    // cameras sometimes send, is whole.
    push(depacketizer, rtp(sequence++, 9000, true, slice));
    EXPECT_FALSE(depacketizer.next());
    push(depacketizer, rtp(sequence++, 9000, true, k_slice));
    const auto picture = depacketizer.next();
    ASSERT_TRUE(picture);
    EXPECT_EQ(picture->annex_b, annex_b({k_slice}));
    EXPECT_EQ(depacketizer.oversized_dropped(), 1u);
}

}  // namespace
