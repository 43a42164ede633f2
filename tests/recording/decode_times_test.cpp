// Presentation times in decoding order, as B-frame cameras send them, against the decoding
// times that must come out: the (i-N)-th presentation time, the first ones extrapolated below.
#include "recording/decode_times.hpp"
#include <vector>

#include <gtest/gtest.h>

namespace {

using Times = std::vector<std::int64_t>;

Times decode(int depth, const Times& presentation, bool flush = false) {
    exam::DecodeTimes times{depth};
    Times decoding;
    for (const std::int64_t pts : presentation) {
        times.push(pts);
        while (const auto dts = times.pop()) {
            decoding.push_back(*dts);
        }
    }
    if (flush) {
        times.flush();
        while (const auto dts = times.pop()) {
            decoding.push_back(*dts);
        }
    }
    return decoding;
}

void expect_decodable(const Times& presentation, const Times& decoding) {
    ASSERT_EQ(decoding.size(), presentation.size());
    for (std::size_t i = 0; i < decoding.size(); ++i) {
        EXPECT_LE(decoding[i], presentation[i]) << i;
        if (i > 0) {
            EXPECT_GT(decoding[i], decoding[i - 1]) << i;
        }
    }
}

TEST(DecodeTimes, WithoutReorderingDecodingTimesArePresentationTimes) {
    const Times pts{0, 3600, 7200, 10800};
    EXPECT_EQ(decode(0, pts), pts);
}

TEST(DecodeTimes, TwoBFramesInAPyramid) {
    // x264 bframes=2: I0 P3 B1 B2 P6 B4 B5 ... in decoding order, 3600 ticks a frame; depth 2.
    const Times pts{0, 10800, 3600, 7200, 21600, 14400, 18000, 32400, 25200, 28800};
    const Times dts = decode(2, pts);
    // The first two below the first picture, a frame apart; then the (i-2)-th shown.
    EXPECT_EQ(dts, (Times{-7200, -3600, 0, 3600, 7200, 10800, 14400, 18000, 21600, 25200}));
    expect_decodable(pts, dts);
}

TEST(DecodeTimes, TheFirstPicturesWaitUntilDepthPlusOneAreSeen) {
    exam::DecodeTimes times{2};
    times.push(0);
    EXPECT_EQ(times.pop(), std::nullopt);
    times.push(10800);
    EXPECT_EQ(times.pop(), std::nullopt);
    times.push(3600);
    EXPECT_EQ(times.pop(), -7200);
    EXPECT_EQ(times.pop(), -3600);
    EXPECT_EQ(times.pop(), 0);
    EXPECT_EQ(times.pop(), std::nullopt);
    times.push(7200);  // from now on one in, one out
    EXPECT_EQ(times.pop(), 3600);
}

TEST(DecodeTimes, AnOpenGopsLeadingPicturesComeBeforeTheirKeyframe) {
    // x265: a CRA at 14400 whose RASL picture (shown before it) follows it in decoding order.
    const Times pts{14400, 3600, 0, 7200, 10800, 28800, 21600, 18000, 25200};
    const Times dts = decode(2, pts);
    EXPECT_EQ(dts.front(), -7200);
    expect_decodable(pts, dts);
}

TEST(DecodeTimes, AStreamThatEndsEarlyGetsItsTimesOnFlush) {
    const Times pts{0, 10800, 3600};
    const Times dts = decode(4, pts, true);
    EXPECT_EQ(dts, (Times{-7200, -3600, 0}));
}

TEST(DecodeTimes, ACameraRepeatingATimestampGetsTheNextTick) {
    // No B-frames; one picture carries the previous one's time.
    const Times pts{0, 3600, 3600, 10800};
    const Times dts = decode(0, pts);
    EXPECT_EQ(dts, (Times{0, 3600, 3601, 10800}));
    // With B-frames too, decoding times still rise.
    const Times reordered{0, 10800, 3600, 3600, 21600, 14400, 18000};
    const Times rising = decode(2, reordered);
    for (std::size_t i = 1; i < rising.size(); ++i) {
        EXPECT_GT(rising[i], rising[i - 1]) << i;
    }
}

TEST(DecodeTimes, ANewDepthStartsAgainBelowTheNextKeyframe) {
    exam::DecodeTimes times{0};
    Times decoding;
    for (const std::int64_t pts : {0, 3600, 7200}) {
        times.push(pts);
    }
    // New parameter sets with B-frames: the next segment's times start below its keyframe,
    // even below the times given before (it is another file).
    times.restart(1);
    EXPECT_EQ(times.reorder_depth(), 1);
    for (const std::int64_t pts : {14400, 10800, 21600, 18000}) {
        times.push(pts);
    }
    while (const auto dts = times.pop()) {
        decoding.push_back(*dts);
    }
    EXPECT_EQ(decoding, (Times{0, 3600, 7200, 7200, 10800, 14400, 18000}));
}

}  // namespace
