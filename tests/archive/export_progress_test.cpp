#include <sstream>

#include <gtest/gtest.h>

#include <exam/archive/export_progress.hpp>

using namespace std::chrono_literals;

TEST(ProgressBarLine, ShowsTheShareTheSpeedAndTheTimeLeft) {
    const std::string line = exam::progress_bar_line(500'000'000, 1'000'000'000, 5000ms, 10);
    EXPECT_EQ(line.substr(0, 12), "[#####     ]");
    EXPECT_NE(line.find(" 50%"), std::string::npos) << line;
    EXPECT_NE(line.find("100.0 MB/s"), std::string::npos) << line;
    EXPECT_NE(line.find("0:05 left"), std::string::npos) << line;
}

TEST(ProgressBarLine, GivesNoSpeedBeforeASecondHasPassed) {
    const std::string line = exam::progress_bar_line(10, 100, 200ms, 10);
    EXPECT_EQ(line.find("/s"), std::string::npos) << line;
}

TEST(ExportProgress, InAPipeWritesALinePerCameraAndNoEscapes) {
    std::ostringstream out;
    exam::ExportProgress progress(out, exam::ExportProgress::Style::lines);
    progress.started(2000, 2);
    progress.copied(1000);
    progress.camera_done("front", 1, 0, 1000);
    progress.copied(1000);
    progress.camera_done("back", 1, 1, 1000);
    progress.finished();
    const std::string text = out.str();
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_EQ(text.find('\r'), std::string::npos) << text;
    EXPECT_NE(text.find("camera front: 1 files"), std::string::npos) << text;
    EXPECT_NE(text.find("camera back: 1 files"), std::string::npos) << text;
    EXPECT_NE(text.find("already verified"), std::string::npos) << text;
}
