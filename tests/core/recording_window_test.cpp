#include <gtest/gtest.h>

#include <exam/core/recording_window.hpp>
#include <exam/core/site_loader.hpp>
#include <exam/util/error.hpp>

using namespace std::chrono;

namespace {

exam::TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi) {
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

const std::string k_site = R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"

[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "3h55m"

[[exam]]
id = "physics"
date = 2026-06-01
subject = "Physics"
start = "15:00"
duration = "1h"

[[room]]
id = "0101"
[[room]]
id = "hq"
kind = "hq"
[[room]]
id = "door"
kind = "entrance"
)";

exam::TimeRange window(const exam::Site& site, std::string_view exam, std::string_view room) {
    return exam::recording_window(site, *site.find_exam(exam), *site.find_room(room));
}

}  // namespace

TEST(RecordingWindow, DefaultsFollowTheRoomKind) {
    const exam::Site site = exam::parse_site(k_site, "site.toml");
    // 10:00 Moscow is 07:00 UTC; the exam ends at 13:55 Moscow, 10:55 UTC.
    EXPECT_EQ(window(site, "math", "0101"),
              (exam::TimeRange{utc(2026, 6, 1, 6, 0), utc(2026, 6, 1, 11, 25)}));
    // The HQ from when the materials arrive (07:30 for a 10:00 start) to an hour after the end.
    EXPECT_EQ(window(site, "math", "hq"),
              (exam::TimeRange{utc(2026, 6, 1, 4, 30), utc(2026, 6, 1, 11, 55)}));
    EXPECT_EQ(window(site, "math", "door"),
              (exam::TimeRange{utc(2026, 6, 1, 4, 30), utc(2026, 6, 1, 11, 25)}));
}

TEST(RecordingWindow, RecordingAfterEndStillMovesExamRoomsAndTheEntrance) {
    const exam::Site site =
        exam::parse_site(k_site + "[recording]\nafter_end = \"45m\"\n", "site.toml");
    EXPECT_EQ(window(site, "math", "0101").to, utc(2026, 6, 1, 11, 40));
    EXPECT_EQ(window(site, "math", "door").to, utc(2026, 6, 1, 11, 40));
    EXPECT_EQ(window(site, "math", "hq").to, utc(2026, 6, 1, 11, 55));
}

TEST(RecordingWindow, EachRoomKindsTableWins) {
    const exam::Site site = exam::parse_site(
        k_site +
            "[recording]\nafter_end = \"45m\"\n[recording.exam]\nbefore_start = \"30m\"\n"
            "after_end = \"10m\"\n[recording.hq]\nbefore_start = \"3h\"\n",
        "site.toml");
    EXPECT_EQ(window(site, "math", "0101"),
              (exam::TimeRange{utc(2026, 6, 1, 6, 30), utc(2026, 6, 1, 11, 5)}));
    EXPECT_EQ(window(site, "math", "hq").from, utc(2026, 6, 1, 4, 0));
    EXPECT_EQ(window(site, "math", "hq").to, utc(2026, 6, 1, 11, 55));
}

TEST(RecordingWindow, RefusesAnUnknownKeyAndAnOutOfRangeDuration) {
    EXPECT_THROW((void)exam::parse_site(k_site + "[recording.hq]\nbefore = \"3h\"\n", "site.toml"),
                 exam::ConfigError);
    EXPECT_THROW(
        (void)exam::parse_site(k_site + "[recording.exam]\nbefore_start = \"13h\"\n", "site.toml"),
        exam::ConfigError);
}

TEST(RecordingWindows, JoinsTheWindowsOfOneDayWhenTheyTouch) {
    const exam::Site site = exam::parse_site(k_site, "site.toml");
    // The HQ: 04:30-11:55 and (15:00 Moscow = 12:00 UTC) 09:30-14:00 overlap: one window.
    const auto hq = exam::recording_windows(site, *site.find_room("hq"));
    ASSERT_EQ(hq.size(), 1U);
    EXPECT_EQ(hq[0], (exam::TimeRange{utc(2026, 6, 1, 4, 30), utc(2026, 6, 1, 14, 0)}));
    // An exam room: 06:00-11:25 and 11:00-13:30 overlap too; with 15 minutes they would not.
    const exam::Site apart = exam::parse_site(
        k_site + "[recording.exam]\nbefore_start = \"15m\"\nafter_end = \"15m\"\n", "site.toml");
    const auto room = exam::recording_windows(apart, *apart.find_room("0101"));
    ASSERT_EQ(room.size(), 2U);
    EXPECT_EQ(room[0], (exam::TimeRange{utc(2026, 6, 1, 6, 45), utc(2026, 6, 1, 11, 10)}));
    EXPECT_EQ(room[1], (exam::TimeRange{utc(2026, 6, 1, 11, 45), utc(2026, 6, 1, 13, 15)}));
}

TEST(WindowAt, FindsTheWindowThatHoldsTheTime) {
    const exam::Site site = exam::parse_site(k_site, "site.toml");
    const exam::Room& room = *site.find_room("0101");
    EXPECT_FALSE(exam::window_at(site, room, utc(2026, 6, 1, 5, 59)).has_value());
    EXPECT_TRUE(exam::window_at(site, room, utc(2026, 6, 1, 6, 0)).has_value());
    EXPECT_FALSE(exam::window_at(site, room, utc(2026, 6, 1, 14, 0)).has_value());
}
