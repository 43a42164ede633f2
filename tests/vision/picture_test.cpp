// The picture analysis on pictures made here, pixel by pixel: each problem is recognised with
// its measured value, and a live, sharp picture has none.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include <exam/vision/picture.hpp>

namespace {

using exam::PictureProblem;

constexpr int k_width = 160;
constexpr int k_height = 120;

struct Picture {
    std::vector<std::uint8_t> pixels = std::vector<std::uint8_t>(k_width * k_height);
    std::uint8_t& at(int x, int y) { return pixels[static_cast<std::size_t>(y * k_width + x)]; }
    exam::GrayView view() const { return {k_width, k_height, k_width, pixels.data()}; }
};

Picture filled(std::uint8_t level) {
    Picture picture;
    std::fill(picture.pixels.begin(), picture.pixels.end(), level);
    return picture;
}

// Sharp black-and-white squares, shifted by `offset` pixels: a scene with edges that moves.
Picture checkerboard(int offset) {
    Picture picture;
    for (int y = 0; y < k_height; ++y) {
        for (int x = 0; x < k_width; ++x) {
            picture.at(x, y) = (((x + offset) / 8 + y / 8) % 2) != 0 ? 230 : 30;
        }
    }
    return picture;
}

// A smooth left-to-right ramp, brightening by `offset`: contrasted and changing, but with no
// edge anywhere.
Picture ramp(int offset) {
    Picture picture;
    for (int y = 0; y < k_height; ++y) {
        for (int x = 0; x < k_width; ++x) {
            picture.at(x, y) = static_cast<std::uint8_t>(40 + x + offset);
        }
    }
    return picture;
}

std::vector<exam::PictureFinding> judge(const std::vector<Picture>& frames) {
    exam::PictureSampler sampler;
    for (const Picture& frame : frames) {
        sampler.add(frame.view());
    }
    return exam::judge_picture(sampler.measures(), {});
}

}  // namespace

TEST(Picture, ALiveSharpPictureHasNoProblem) {
    const auto findings = judge({checkerboard(0), checkerboard(1), checkerboard(2)});
    EXPECT_TRUE(findings.empty()) << findings.front().text.shown;
}

TEST(Picture, BlackIsReportedWithItsBrightnessAndNothingElse) {
    const auto findings = judge({filled(3), filled(3), filled(3)});
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].problem, PictureProblem::black);
    EXPECT_DOUBLE_EQ(findings[0].measured, 3.0);
    EXPECT_NE(findings[0].text.shown.find("brightness 3.0"), std::string::npos)
        << findings[0].text.shown;
}

TEST(Picture, AFlatLitPictureIsACoveredLens) {
    // A hand over the lens: mid-grey, a little sensor noise, nothing else.
    std::vector<Picture> frames;
    for (int i = 0; i < 3; ++i) {
        Picture frame = filled(90);
        for (int x = i; x < k_width; x += 3) {
            frame.at(x, 5) = 92;
        }
        frames.push_back(frame);
    }
    const auto findings = judge(frames);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].problem, PictureProblem::covered);
    EXPECT_LT(findings[0].measured, 1.0);
}

TEST(Picture, IdenticalFramesAreFrozenWithTheShareOfChangedPixels) {
    const auto findings = judge({checkerboard(0), checkerboard(0), checkerboard(0)});
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].problem, PictureProblem::frozen);
    EXPECT_DOUBLE_EQ(findings[0].measured, 0.0);
}

TEST(Picture, OneFrameCannotBeJudgedFrozen) {
    exam::PictureSampler sampler;
    sampler.add(checkerboard(0).view());
    EXPECT_FALSE(sampler.measures().motion.has_value());
    EXPECT_TRUE(exam::judge_picture(sampler.measures(), {}).empty());
}

TEST(Picture, APictureWithoutEdgesIsOutOfFocus) {
    const auto findings = judge({ramp(0), ramp(4), ramp(8)});
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].problem, PictureProblem::blurred);
    EXPECT_LT(findings[0].measured, 30.0);
}

TEST(Picture, OneOddFrameDoesNotDecide) {
    // A single black frame among sharp ones (a dropped frame decoded as black) is outvoted.
    const auto findings = judge({checkerboard(0), filled(0), checkerboard(2)});
    EXPECT_TRUE(findings.empty()) << findings.front().text.shown;
}

TEST(Picture, ASizeChangeRestartsTheMotionComparison) {
    exam::PictureSampler sampler;
    sampler.add(checkerboard(0).view());
    const std::vector<std::uint8_t> small(40 * 30, 128);
    sampler.add({40, 30, 40, small.data()});
    EXPECT_FALSE(sampler.measures().motion.has_value());
    EXPECT_EQ(sampler.measures().width, 40);
}

TEST(Picture, ThresholdsComeFromTheCaller) {
    exam::PictureSampler sampler;
    sampler.add(filled(50).view());
    exam::PictureThresholds strict;
    strict.min_brightness = 60;
    ASSERT_EQ(exam::judge_picture(sampler.measures(), strict).size(), 1u);
    EXPECT_EQ(exam::judge_picture(sampler.measures(), strict)[0].problem, PictureProblem::black);
}

TEST(Picture, StrideLargerThanTheWidthIsHonoured) {
    // A decoder's plane with padding at the end of each row: the padding is not picture.
    std::vector<std::uint8_t> padded(static_cast<std::size_t>((k_width + 32) * k_height), 255);
    const Picture board = checkerboard(0);
    for (int y = 0; y < k_height; ++y) {
        std::copy_n(board.pixels.begin() + y * k_width, k_width,
                    padded.begin() + y * (k_width + 32));
    }
    exam::PictureSampler sampler;
    sampler.add({k_width, k_height, k_width + 32, padded.data()});
    EXPECT_NEAR(sampler.measures().brightness, 130.0, 0.5);
}
