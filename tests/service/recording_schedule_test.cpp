#include <gtest/gtest.h>

#include <exam/core/site_loader.hpp>
#include <exam/service/recording_schedule.hpp>

using namespace std::chrono;

namespace {

exam::TimePoint utc(unsigned d, int h, int mi) {
    return sys_days{year{2026} / June / day{d}} + hours{h} + minutes{mi};
}

// Moscow is UTC+3. Exam rooms record from an hour before the start to 30 minutes after the
// end; the HQ and the entrance from 2h30m before; the HQ until an hour after the end.
//   1 June, maths 10:00-13:55 MSK:  room 06:00-11:25 UTC, HQ 04:30-11:55, door 04:30-11:25
//   1 June, physics 17:00-18:00:    room 13:00-15:30 UTC, HQ 11:30-16:00, door 11:30-15:30
//   3 June, biology 10:00-12:00:    room 06:00-09:30 UTC
// The HQ's two windows of 1 June overlap and are one window, 04:30-16:00.
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
start = "17:00"
duration = "1h"

[[exam]]
id = "biology"
date = 2026-06-03
subject = "Biology"
start = "10:00"
duration = "2h"

[[room]]
id = "0101"
[[room]]
id = "hq"
kind = "hq"
[[room]]
id = "door"
kind = "entrance"
)";

class RecordingSchedule : public ::testing::Test {
protected:
    const exam::Site site = exam::parse_site(k_site, "site.toml");
    const exam::Room& room = *site.find_room("0101");
    const exam::Room& hq = *site.find_room("hq");
    const exam::Room& door = *site.find_room("door");

    exam::Decision decide_at(const std::optional<exam::CameraWant>& hand, exam::TimePoint t) {
        return exam::decide(site, room, hand, t);
    }
};

exam::CameraWant by_hand(bool on, exam::TimePoint since) {
    return {on, exam::WantSource::by_hand, since, "ivanov", std::nullopt};
}

}  // namespace

TEST_F(RecordingSchedule, EachRoomKindRecordsInItsOwnWindows) {
    EXPECT_FALSE(exam::scheduled_on(site, room, utc(1, 5, 0)));
    EXPECT_TRUE(exam::scheduled_on(site, hq, utc(1, 5, 0)));
    EXPECT_TRUE(exam::scheduled_on(site, door, utc(1, 5, 0)));

    EXPECT_TRUE(exam::scheduled_on(site, room, utc(1, 6, 0)));     // the window's first moment
    EXPECT_FALSE(exam::scheduled_on(site, room, utc(1, 11, 25)));  // its end is outside
    EXPECT_TRUE(exam::scheduled_on(site, hq, utc(1, 11, 27)));
    EXPECT_FALSE(exam::scheduled_on(site, door, utc(1, 11, 27)));  // between its two windows
    EXPECT_TRUE(exam::scheduled_on(site, door, utc(1, 11, 30)));
    EXPECT_FALSE(exam::scheduled_on(site, hq, utc(1, 16, 0)));
    EXPECT_FALSE(exam::scheduled_on(site, room, utc(2, 8, 0)));  // a day without an exam
}

TEST_F(RecordingSchedule, NextChangeGoesThroughTwoExamsOfADayAndOnToTheNextDay) {
    EXPECT_EQ(exam::next_schedule_change(site, room, utc(1, 0, 0)), utc(1, 6, 0));
    EXPECT_EQ(exam::next_schedule_change(site, room, utc(1, 6, 0)), utc(1, 11, 25));
    EXPECT_EQ(exam::next_schedule_change(site, room, utc(1, 11, 25)), utc(1, 13, 0));
    EXPECT_EQ(exam::next_schedule_change(site, room, utc(1, 13, 0)), utc(1, 15, 30));
    EXPECT_EQ(exam::next_schedule_change(site, room, utc(1, 15, 30)), utc(3, 6, 0));
    EXPECT_EQ(exam::next_schedule_change(site, room, utc(3, 7, 0)), utc(3, 9, 30));
    EXPECT_EQ(exam::next_schedule_change(site, room, utc(3, 9, 30)), std::nullopt);
    // The HQ's windows overlap into one: no change between its two exams.
    EXPECT_EQ(exam::next_schedule_change(site, hq, utc(1, 5, 0)), utc(1, 16, 0));
}

TEST_F(RecordingSchedule, WithoutAHandTheScheduleDecides) {
    const exam::Decision before = decide_at(std::nullopt, utc(1, 5, 0));
    EXPECT_FALSE(before.on);
    EXPECT_EQ(before.source, exam::WantSource::schedule);
    EXPECT_NE(before.why.find("the next starts at 2026-06-01 09:00 +03:00"), std::string::npos)
        << before.why;
    const exam::Decision inside = decide_at(std::nullopt, utc(1, 7, 0));
    EXPECT_TRUE(inside.on);
    EXPECT_NE(inside.why.find("2026-06-01 09:00 +03:00 – 2026-06-01 14:25 +03:00"),
              std::string::npos)
        << inside.why;
    EXPECT_FALSE(decide_at(std::nullopt, utc(3, 9, 30)).on);
    EXPECT_NE(decide_at(std::nullopt, utc(3, 9, 30)).why.find("none is ahead"), std::string::npos);
}

TEST_F(RecordingSchedule, AStartByHandBeforeTheWindowGoesOnIntoItAndTheWindowsEndStopsIt) {
    const exam::CameraWant start = by_hand(true, utc(1, 5, 0));
    const exam::Decision early = decide_at(start, utc(1, 5, 30));
    EXPECT_TRUE(early.on);
    EXPECT_EQ(early.source, exam::WantSource::by_hand);
    EXPECT_NE(early.why.find("started by hand by ivanov"), std::string::npos) << early.why;
    EXPECT_NE(early.why.find("the schedule takes over at 2026-06-01 09:00 +03:00"),
              std::string::npos)
        << early.why;
    // From the window's start the schedule keeps it recording, and stops it at the end.
    EXPECT_TRUE(decide_at(start, utc(1, 6, 0)).on);
    EXPECT_EQ(decide_at(start, utc(1, 6, 0)).source, exam::WantSource::schedule);
    EXPECT_TRUE(decide_at(start, utc(1, 11, 24)).on);
    EXPECT_FALSE(decide_at(start, utc(1, 11, 25)).on);
    EXPECT_EQ(decide_at(start, utc(1, 11, 25)).source, exam::WantSource::schedule);
}

TEST_F(RecordingSchedule, AStopByHandInsideTheWindowHoldsUntilTheWindowsEnd) {
    exam::CameraWant stop = by_hand(false, utc(1, 8, 0));
    stop.reason = "camera replaced";
    const exam::Decision held = decide_at(stop, utc(1, 11, 24));
    EXPECT_FALSE(held.on);
    EXPECT_EQ(held.source, exam::WantSource::by_hand);
    EXPECT_NE(held.why.find("stopped by hand by ivanov"), std::string::npos) << held.why;
    EXPECT_NE(held.why.find("(camera replaced)"), std::string::npos) << held.why;
    EXPECT_EQ(decide_at(stop, utc(1, 11, 25)).source, exam::WantSource::schedule);
    EXPECT_FALSE(decide_at(stop, utc(1, 11, 25)).on);
    // The next window records again, by the schedule.
    EXPECT_TRUE(decide_at(stop, utc(1, 13, 0)).on);
}

TEST_F(RecordingSchedule, AStartByHandAfterTheLastWindowHoldsWhileNoWindowIsAhead) {
    const exam::CameraWant start = by_hand(true, utc(3, 10, 0));
    const exam::Decision later = decide_at(start, utc(9, 10, 0));
    EXPECT_TRUE(later.on);
    EXPECT_EQ(later.source, exam::WantSource::by_hand);
    EXPECT_NE(later.why.find("no recording window is ahead"), std::string::npos) << later.why;
    // Between two days' windows it holds until the next window starts, then the schedule rules.
    const exam::CameraWant evening = by_hand(true, utc(1, 17, 0));
    EXPECT_EQ(decide_at(evening, utc(2, 12, 0)).source, exam::WantSource::by_hand);
    EXPECT_TRUE(decide_at(evening, utc(3, 7, 0)).on);
    EXPECT_FALSE(decide_at(evening, utc(3, 9, 30)).on);
}

TEST_F(RecordingSchedule, AWantTheScheduleMadeIsNoHandsAndDoesNotHold) {
    const exam::CameraWant scheduled{true, exam::WantSource::schedule, utc(1, 6, 0), "schedule",
                                     std::nullopt};
    EXPECT_FALSE(decide_at(scheduled, utc(1, 12, 0)).on);
    EXPECT_EQ(decide_at(scheduled, utc(1, 12, 0)).source, exam::WantSource::schedule);
}

TEST_F(RecordingSchedule, AStopIsProtectedOnlyInsideTheRoomsWindow) {
    EXPECT_EQ(exam::protected_window(site, room, utc(1, 9, 0)),
              (exam::TimeRange{utc(1, 6, 0), utc(1, 11, 25)}));
    EXPECT_EQ(exam::protected_window(site, room, utc(1, 12, 0)), std::nullopt);
    EXPECT_EQ(exam::protected_window(site, hq, utc(1, 12, 0)),
              (exam::TimeRange{utc(1, 4, 30), utc(1, 16, 0)}));
}
