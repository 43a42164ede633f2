// Picture health of keyframes judged one at a time, on grey planes made here: black, covered
// and blurred from each keyframe, frozen from the motion since the previous one.
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <exam/vision/keyframe_health.hpp>

namespace {

using exam::PictureProblem;

constexpr int k_width = 320;
constexpr int k_height = 180;

struct Plane {
    std::vector<std::uint8_t> pixels =
        std::vector<std::uint8_t>(static_cast<std::size_t>(k_width * k_height));
    exam::GrayView view() const { return {k_width, k_height, k_width, pixels.data()}; }
};

Plane filled(std::uint8_t level) {
    Plane plane;
    std::fill(plane.pixels.begin(), plane.pixels.end(), level);
    return plane;
}

// Sensor noise over a lit scene: contrasted, sharp, and different every time.
Plane noise(unsigned seed) {
    Plane plane;
    std::mt19937 random{seed};
    std::uniform_int_distribution<int> level{40, 220};
    for (auto& pixel : plane.pixels) {
        pixel = static_cast<std::uint8_t>(level(random));
    }
    return plane;
}

std::vector<PictureProblem> problems(const std::vector<exam::PictureFinding>& findings) {
    std::vector<PictureProblem> found;
    for (const auto& finding : findings) {
        found.push_back(finding.problem);
    }
    return found;
}

}  // namespace

TEST(KeyframeHealth, ALiveKeyframeHasNoProblemAndTheNextLiveOneNeither) {
    exam::KeyframeHealth health;
    EXPECT_TRUE(health.judge(noise(1).view()).empty());
    EXPECT_TRUE(health.judge(noise(2).view()).empty());
}

TEST(KeyframeHealth, ABlackKeyframeIsBlack) {
    exam::KeyframeHealth health;
    EXPECT_EQ(problems(health.judge(filled(4).view())), std::vector{PictureProblem::black});
}

TEST(KeyframeHealth, AFlatGreyKeyframeIsACoveredLens) {
    exam::KeyframeHealth health;
    EXPECT_EQ(problems(health.judge(filled(120).view())), std::vector{PictureProblem::covered});
}

TEST(KeyframeHealth, TheSameKeyframeTwiceIsFrozenButTheFirstAloneIsNot) {
    exam::KeyframeHealth health;
    const Plane picture = noise(7);
    EXPECT_TRUE(health.judge(picture.view()).empty()) << "nothing to compare with yet";
    const auto findings = health.judge(picture.view());
    ASSERT_EQ(problems(findings), std::vector{PictureProblem::frozen});
    EXPECT_DOUBLE_EQ(findings[0].measured, 0.0);
    // The picture moves again: no longer frozen.
    EXPECT_TRUE(health.judge(noise(8).view()).empty());
}

TEST(KeyframeHealth, TheKeyframeIsCopiedSoTheCallerMayReuseItsBuffer) {
    exam::KeyframeHealth health;
    Plane buffer = noise(3);
    health.judge(buffer.view());
    buffer.pixels = noise(4).pixels;  // the decoder's next picture, in the same buffer
    EXPECT_TRUE(health.judge(buffer.view()).empty())
        << "compared with a copy of the previous keyframe, not with the reused buffer";
}

TEST(KeyframeHealth, AKeyframeOfAnotherSizeStartsTheComparisonAgain) {
    exam::KeyframeHealth health;
    health.judge(noise(5).view());
    // Half the width: the camera's settings were changed. No motion to measure, no verdict.
    const Plane picture = noise(6);
    const exam::GrayView smaller{k_width / 2, k_height, k_width, picture.pixels.data()};
    EXPECT_TRUE(health.judge(smaller).empty());
    EXPECT_EQ(problems(health.judge(smaller)), std::vector{PictureProblem::frozen});
}

TEST(KeyframeHealth, ThresholdsAreThoseGiven) {
    exam::PictureThresholds strict;
    strict.min_brightness = 250;
    exam::KeyframeHealth health{strict};
    EXPECT_EQ(problems(health.judge(noise(9).view())), std::vector{PictureProblem::black});
}
