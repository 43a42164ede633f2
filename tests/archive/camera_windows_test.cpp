#include <gtest/gtest.h>

#include <exam/archive/camera_windows.hpp>
#include <exam/core/site_loader.hpp>
#include <exam/util/error.hpp>

using namespace std::chrono;

namespace {

exam::TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi) {
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

const exam::Site& site() {
    static const exam::Site loaded = exam::parse_site(R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"

[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "3h55m"

[[room]]
id = "0101"
[[room.camera]]
id = "front"
uri = "rtsp://10.0.0.1/s"
[[room.camera]]
id = "back"
uri = "rtsp://10.0.0.2/s"
[[room]]
id = "hq"
kind = "hq"
[[room.camera]]
id = "hq-cam"
uri = "rtsp://10.0.0.3/s"
[[room]]
id = "empty"
)",
                                                      "site.toml");
    return loaded;
}

std::vector<std::string> ids(const std::vector<exam::CameraWindow>& windows) {
    std::vector<std::string> result;
    for (const auto& window : windows) {
        result.push_back(window.camera->id);
    }
    return result;
}

}  // namespace

TEST(CameraWindows, AnExamGivesEachRoomItsKindsWindow) {
    const auto windows = exam::camera_windows(site(), {.exam = "math"});
    ASSERT_EQ(ids(windows), (std::vector<std::string>{"front", "back", "hq-cam"}));
    EXPECT_EQ(windows[0].window, (exam::TimeRange{utc(2026, 6, 1, 6, 0), utc(2026, 6, 1, 11, 25)}));
    EXPECT_EQ(windows[2].window,
              (exam::TimeRange{utc(2026, 6, 1, 4, 30), utc(2026, 6, 1, 11, 55)}));
    EXPECT_EQ(exam::overall_range(windows),
              (exam::TimeRange{utc(2026, 6, 1, 4, 30), utc(2026, 6, 1, 11, 55)}));
}

TEST(CameraWindows, AStretchOfTimeIsTheSameForEveryChosenCamera) {
    const auto windows = exam::camera_windows(
        site(),
        {.from = "2026-06-01 09:00", .to = "2026-06-01T10:00:00Z", .cameras = {.rooms = {"hq"}}});
    ASSERT_EQ(ids(windows), (std::vector<std::string>{"hq-cam"}));
    EXPECT_EQ(windows[0].window, (exam::TimeRange{utc(2026, 6, 1, 6, 0), utc(2026, 6, 1, 10, 0)}));
}

TEST(CameraWindows, RefusesWhatCannotBeARange) {
    EXPECT_THROW((void)exam::camera_windows(site(), {}), exam::UsageError);
    EXPECT_THROW(
        (void)exam::camera_windows(site(), {.exam = "math", .from = "09:00", .to = "10:00"}),
        exam::UsageError);
    EXPECT_THROW((void)exam::camera_windows(site(), {.from = "09:00"}), exam::UsageError);
    EXPECT_THROW(
        (void)exam::camera_windows(site(), {.from = "2026-06-01 10:00", .to = "2026-06-01 09:00"}),
        exam::UsageError);
    EXPECT_THROW((void)exam::camera_windows(site(), {.from = "yesterday", .to = "10:00"}),
                 exam::InputError);
    try {
        (void)exam::camera_windows(site(), {.exam = "maths"});
        FAIL() << "an unknown exam was accepted";
    } catch (const exam::UsageError& error) {
        EXPECT_NE(std::string{error.what()}.find("did you mean \"math\"?"), std::string::npos)
            << error.what();
    }
}

TEST(CameraWindows, NoCameraChoiceIsEveryCameraAndUnknownNamesAreRefused) {
    EXPECT_EQ(ids(exam::camera_windows(
                  site(), {.exam = "math", .cameras = {.rooms = {"hq"}, .cameras = {"back"}}})),
              (std::vector<std::string>{"back", "hq-cam"}));
    EXPECT_THROW(
        (void)exam::camera_windows(site(), {.exam = "math", .cameras = {.cameras = {"frnt"}}}),
        exam::UsageError);
    EXPECT_THROW(
        (void)exam::camera_windows(site(), {.exam = "math", .cameras = {.rooms = {"empty"}}}),
        exam::UsageError);
}
