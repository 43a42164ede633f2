#include <gtest/gtest.h>

#include <exam/core/schedule.hpp>
#include <exam/core/site_loader.hpp>

using namespace std::chrono;

namespace {

exam::TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi) {
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

// Two exams written out of order, to show the schedule sorts by start.
exam::Site two_exam_site() {
    return exam::parse_site(R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"

[[exam]]
id = "russian"
date = 2026-06-04
subject = "Russian"
start = "10:00"
duration = "3h30m"

[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "3h55m"
check_lead = "1h30m"
)",
                            "site.toml");
}

}  // namespace

TEST(ExamTimes, ComputesChecksDueStartAndEndInUtc) {
    const exam::Site site = two_exam_site();
    const exam::ExamTimes times = exam::exam_times(*site.find_exam("math"), site.timezone);
    EXPECT_EQ(times.start, utc(2026, 6, 1, 7, 0));  // 10:00 Moscow
    EXPECT_EQ(times.checks_due, utc(2026, 6, 1, 5, 30));
    EXPECT_EQ(times.end, utc(2026, 6, 1, 10, 55));
}

TEST(ExamPhase, FollowsTheDay) {
    const exam::ExamTimes times{utc(2026, 6, 1, 5, 0), utc(2026, 6, 1, 7, 0),
                                utc(2026, 6, 1, 11, 0)};
    EXPECT_EQ(exam::exam_phase(times, utc(2026, 6, 1, 4, 59)), exam::ExamPhase::upcoming);
    EXPECT_EQ(exam::exam_phase(times, utc(2026, 6, 1, 5, 0)), exam::ExamPhase::checks_due);
    EXPECT_EQ(exam::exam_phase(times, utc(2026, 6, 1, 7, 0)), exam::ExamPhase::in_progress);
    EXPECT_EQ(exam::exam_phase(times, utc(2026, 6, 1, 11, 0)), exam::ExamPhase::finished);
}

TEST(Schedule, SortsByStartAndMarksTheFirstNotEnded) {
    const exam::Site site = two_exam_site();
    const auto before = exam::build_schedule(site, utc(2026, 5, 20, 0, 0));
    ASSERT_EQ(before.size(), 2u);
    EXPECT_EQ(before[0].exam->id, "math");
    EXPECT_TRUE(before[0].is_next);
    EXPECT_FALSE(before[1].is_next);

    // During the maths exam it is still the next (current) one.
    const auto during = exam::build_schedule(site, utc(2026, 6, 1, 8, 0));
    EXPECT_TRUE(during[0].is_next);
    EXPECT_EQ(during[0].phase, exam::ExamPhase::in_progress);

    const auto after_math = exam::build_schedule(site, utc(2026, 6, 2, 0, 0));
    EXPECT_FALSE(after_math[0].is_next);
    EXPECT_TRUE(after_math[1].is_next);
}

TEST(Schedule, NothingIsNextWhenAllHaveEnded) {
    const auto schedule = exam::build_schedule(two_exam_site(), utc(2027, 1, 1, 0, 0));
    for (const auto& entry : schedule) {
        EXPECT_FALSE(entry.is_next);
        EXPECT_EQ(entry.phase, exam::ExamPhase::finished);
    }
}
