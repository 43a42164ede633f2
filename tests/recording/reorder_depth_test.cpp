// Sequence parameter sets as real encoders and cameras send them, against what ITU-T H.264 and
// H.265 make of them (the values cross-checked with FFmpeg's trace_headers).
#include "recording/reorder_depth.hpp"
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "recording/nal_units.hpp"

namespace {

using exam::VideoCodec;
using Bytes = std::vector<std::uint8_t>;

Bytes from_hex(const std::string& hex) {
    Bytes bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

std::optional<int> h264(const std::string& hex) {
    const Bytes sps = from_hex(hex);
    return exam::h264_reorder_depth(sps.data(), sps.size());
}

std::optional<int> h265(const std::string& hex) {
    const Bytes sps = from_hex(hex);
    return exam::h265_reorder_depth(sps.data(), sps.size());
}

// x264, High profile, two B-frames in a pyramid (GStreamer's x264enc bframes=2 b-pyramid=true):
// the VUI's bitstream restriction says max_num_reorder_frames = 2.
const std::string k_x264_high_b_frames =
    "6764001eacd900a02ff97016a0c0c0d4a0000003002000000651e2c5b2c0";
// x265 defaults (four B-frames in a pyramid): sps_max_num_reorder_pics = 2.
const std::string k_x265_defaults =
    "42010101600000030090000003000003003fa00502016965959a4932bc05a02000000300200000030321";

TEST(ReorderDepth, X264WithBFramesSaysItsDepthInTheBitstreamRestriction) {
    EXPECT_EQ(h264(k_x264_high_b_frames), 2);
}

TEST(ReorderDepth, X264BaselineSaysNoReordering) {
    // libx264 -profile:v baseline: Constrained Baseline, bitstream restriction present.
    EXPECT_EQ(h264("6742c01ed900a02ff97011000003000100000300320f162e48"), 0);
}

TEST(ReorderDepth, ACameraThatSaysItDoesNotReorderIsBelieved) {
    // An Axis camera's Main profile SPS (level 4.1, 1080p) with max_num_reorder_frames = 0.
    EXPECT_EQ(h264("674d0029e2900f0044fcb80b7010101a41e24454"), 0);
}

TEST(ReorderDepth, WithoutTheRestrictionMainProfileMayReorderAsManyAsTheLevelsBufferHolds) {
    // Cameras' Main profile SPS with a VUI but no bitstream restriction (E.2.1: MaxDpbFrames):
    // level 4.2 at 1920x1088 is 34816 / 8160 macroblocks = 4 pictures ...
    EXPECT_EQ(h264("674d002a963540f0044fcb370501050200"), 4);
    // ... level 3.1 at 1280x720 is 18000 / 3600 = 5.
    EXPECT_EQ(h264("674d001f95a814016e8400001c2000057e4010"), 5);
}

TEST(ReorderDepth, WithoutTheRestrictionBaselineNeverReorders) {
    // Baseline has no B-slices: with a VUI without the restriction, and with no VUI at all.
    EXPECT_EQ(h264("6742002a963540f0044fcb3701010102"), 0);
    EXPECT_EQ(h264("6742001f95a814016e40"), 0);
}

TEST(ReorderDepth, X265DefaultsAndZeroLatency) {
    EXPECT_EQ(h265(k_x265_defaults), 2);
    // -tune zerolatency: no B-frames.
    EXPECT_EQ(
        h265(
            "42010101600000030090000003000003003fa0050201696592a4932bc05a020000030002000003003210"),
        0);
}

TEST(ReorderDepth, X265WithTemporalSubLayersReadsTheHighestOne) {
    // temporal-layers=1: two sub-layers, each with its own ordering info (2 and 2).
    EXPECT_EQ(h265("42010201600000030090000003000003003f0000a005020169659598acd24995e02d01000003000"
                   "1000003001908"),
              2);
}

TEST(ReorderDepth, TheFirstSpsOfAnAnnexBUnitIsRead) {
    // VPS, SPS, PPS as a keyframe carries them, then the slice.
    Bytes unit = from_hex("0000000140010c01ffff016000000300900000030000030078959809");
    const Bytes sps = from_hex(k_x265_defaults);
    unit.insert(unit.end(), {0, 0, 0, 1});
    unit.insert(unit.end(), sps.begin(), sps.end());
    unit.insert(unit.end(), {0, 0, 0, 1, 0x44, 0x01, 0xc1, 0x72, 0, 0, 1, 0x26, 0x01, 0xaf});
    EXPECT_EQ(exam::reorder_depth_in(VideoCodec::h265, unit.data(), unit.size()), 2);
    // A slice before any SPS: nothing is looked at after it.
    const Bytes slice_first = from_hex("00000126010000000142");
    EXPECT_EQ(exam::reorder_depth_in(VideoCodec::h265, slice_first.data(), slice_first.size()),
              std::nullopt);
}

TEST(ReorderDepth, TruncatedOrForeignBytesGiveNothing) {
    EXPECT_EQ(h264(k_x264_high_b_frames.substr(0, 24)), std::nullopt);
    EXPECT_EQ(h265(k_x265_defaults.substr(0, 40)), std::nullopt);
    EXPECT_EQ(h264("6801ee3cb0"), std::nullopt);  // a PPS
    EXPECT_EQ(h265("4401c172b09840"), std::nullopt);
    EXPECT_EQ(h264(""), std::nullopt);
    // Every prefix of a real SPS parses without reading past its end (ASan watches).
    const Bytes sps = from_hex(k_x264_high_b_frames);
    for (std::size_t size = 0; size < sps.size(); ++size) {
        Bytes prefix(sps.begin(), sps.begin() + static_cast<std::ptrdiff_t>(size));
        (void)exam::h264_reorder_depth(prefix.data(), prefix.size());
    }
}

TEST(BitReader, TakesOutEmulationPreventionAndReadsExpGolomb) {
    // 00 00 03 01: the 03 is not payload. Then 1 (ue 0), 010 (ue 1), 011 (ue 2), 00100 (ue 3),
    // 00, 010 (se +1), 011 (se -1), 1000: 1010 0110 0100 0001 0011 1000.
    const Bytes payload{0x00, 0x00, 0x03, 0x01, 0xa6, 0x41, 0x38};
    exam::BitReader bits{payload.data(), payload.size()};
    EXPECT_EQ(bits.bits(24), 0x000001U);
    EXPECT_EQ(bits.unsigned_golomb(), 0U);
    EXPECT_EQ(bits.unsigned_golomb(), 1U);
    EXPECT_EQ(bits.unsigned_golomb(), 2U);
    EXPECT_EQ(bits.unsigned_golomb(), 3U);
    EXPECT_EQ(bits.bits(2), 0U);
    EXPECT_EQ(bits.signed_golomb(), 1);
    EXPECT_EQ(bits.signed_golomb(), -1);
    EXPECT_FALSE(bits.overrun());
    bits.bits(8);
    EXPECT_TRUE(bits.overrun());
}

TEST(NalUnits, H265PicturesAreToldApartByTheirFirstSlice) {
    const auto kind = [](std::uint8_t type) {
        const Bytes unit{0,    0,    0,    1,
                         0x46, 0x01, 0x10,  // access unit delimiter (35)
                         0,    0,    1,    static_cast<std::uint8_t>(type << 1),
                         0x01, 0xaf};
        return exam::h265_picture_in(unit.data(), unit.size());
    };
    EXPECT_EQ(kind(1), exam::H265Picture::ordinary);
    EXPECT_EQ(kind(7), exam::H265Picture::ordinary);  // RADL: decodes from its IRAP
    EXPECT_EQ(kind(8), exam::H265Picture::skipped_leading);
    EXPECT_EQ(kind(9), exam::H265Picture::skipped_leading);
    EXPECT_EQ(kind(16), exam::H265Picture::broken_link_with_leading);
    EXPECT_EQ(kind(17), exam::H265Picture::instant_refresh);
    EXPECT_EQ(kind(19), exam::H265Picture::instant_refresh);
    EXPECT_EQ(kind(20), exam::H265Picture::instant_refresh);
    EXPECT_EQ(kind(21), exam::H265Picture::clean_random_access);
    EXPECT_EQ(kind(35), exam::H265Picture::unknown);  // no slice at all
}

}  // namespace
