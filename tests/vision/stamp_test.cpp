// Snapshots' labels: every character of a Cyrillic label has a glyph in the stamp's font (asked
// of FreeType, not judged by eye), and the stamp is a JPEG of the picture with the label drawn
// bottom-left and the rest of the picture left as it was.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <exam/util/error.hpp>
#include <exam/vision/stamp.hpp>

namespace {

// A label as the exam point writes them: Cyrillic, «quotes», a dash, digits, a zone.
const std::string k_label =
    "Аудитория 0101 — Камера «Доска», ППЭ 0042, регион 77, 04.12.2026 08:15:03 MSK";

cv::Mat decoded(const std::vector<std::uint8_t>& jpeg) {
    return cv::imdecode(jpeg, cv::IMREAD_COLOR);
}

exam::BgrView view_of(const cv::Mat& picture) {
    return {picture.cols, picture.rows, static_cast<std::ptrdiff_t>(picture.step[0]), picture.data};
}

}  // namespace

TEST(Stamp, EveryCharacterOfACyrillicLabelHasAGlyph) {
    EXPECT_TRUE(exam::glyphs_missing(k_label).empty());
    EXPECT_TRUE(exam::glyphs_missing("ЁёЙй №5 «» – — ·").empty());
}

TEST(Stamp, ACharacterTheFontLacksIsReportedOnce) {
    // DejaVu Sans has no CJK ideographs; the character is named once however often it appears.
    EXPECT_EQ(exam::glyphs_missing("Камера 李 и 李"), std::vector<char32_t>{U'李'});
    EXPECT_EQ(exam::glyphs_missing("\xF0\x9F\x80\x84 ok"), std::vector<char32_t>{U'\U0001F004'});
}

TEST(Stamp, BytesThatAreNotUtf8AreReportedAsTheReplacementCharacterDejaVuHas) {
    // U+FFFD itself has a glyph: the bad byte shows as the usual "?" diamond, which is honest.
    EXPECT_TRUE(exam::glyphs_missing("a\xff").empty());
}

TEST(Stamp, TheLabelIsDrawnBottomLeftOnAJpegOfThePicturesSize) {
    const cv::Mat picture(360, 640, CV_8UC3, cv::Scalar{200, 180, 160});
    const std::vector<std::uint8_t> jpeg =
        exam::stamped_jpeg(view_of(picture), {"Аудитория 0101 · Доска", "регион 77, ППЭ 0042"});
    ASSERT_GT(jpeg.size(), 4u);
    EXPECT_EQ(jpeg[0], 0xFF);
    EXPECT_EQ(jpeg[1], 0xD8);  // a JPEG's start-of-image marker
    const cv::Mat stamped = decoded(jpeg);
    ASSERT_EQ(stamped.cols, 640);
    ASSERT_EQ(stamped.rows, 360);
    // The band darkens the bottom-left corner, and the text in it is white.
    const cv::Mat corner = stamped(cv::Rect{10, 320, 60, 30});
    EXPECT_LT(cv::mean(corner)[0], 150);
    double brightest = 0;
    cv::minMaxLoc(corner.reshape(1), nullptr, &brightest);
    EXPECT_GT(brightest, 240);
    // The top right is the picture as it was (JPEG's rounding aside).
    const cv::Scalar untouched = cv::mean(stamped(cv::Rect{400, 10, 200, 100}));
    EXPECT_NEAR(untouched[0], 200, 3);
    EXPECT_NEAR(untouched[2], 160, 3);
    // The caller's picture is not drawn on.
    EXPECT_EQ(picture.at<cv::Vec3b>(350, 20), (cv::Vec3b{200, 180, 160}));
}

TEST(Stamp, ALabelTooLongForANarrowPictureIsShrunkToFitInsteadOfCut) {
    // A camera turned on its side: 800 wide, 1080 high, where the text would be 40 px high.
    const cv::Mat picture(1080, 800, CV_8UC3, cv::Scalar{90, 90, 90});
    const cv::Mat stamped = decoded(exam::stamped_jpeg(view_of(picture), {k_label}));
    ASSERT_EQ(stamped.cols, 800);
    // The band ends before the right edge: the right-most columns keep the picture's grey.
    const cv::Scalar right_edge = cv::mean(stamped(cv::Rect{792, 0, 8, 1080}));
    EXPECT_NEAR(right_edge[0], 90, 3);
}

TEST(Stamp, AMissingFontIsAConfigurationErrorNamingTheFileAndThePackage) {
    const cv::Mat picture(36, 64, CV_8UC3, cv::Scalar{0, 0, 0});
    try {
        exam::stamped_jpeg(view_of(picture), {"x"}, "/nonexistent/DejaVuSans.ttf");
        FAIL() << "no error";
    } catch (const exam::ConfigError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("/nonexistent/DejaVuSans.ttf"), std::string::npos) << message;
        EXPECT_NE(message.find("fonts-dejavu-core"), std::string::npos) << message;
    }
    EXPECT_THROW(exam::glyphs_missing("x", "/nonexistent/DejaVuSans.ttf"), exam::ConfigError);
}

TEST(Stamp, AnEmptyPictureIsRefused) {
    EXPECT_THROW(exam::stamped_jpeg({0, 0, 0, nullptr}, {"x"}), exam::InputError);
}
