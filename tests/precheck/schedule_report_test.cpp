#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <exam/core/site_loader.hpp>
#include <exam/precheck/schedule_report.hpp>

#include "support/temp_dir.hpp"

using namespace std::chrono;

namespace {

exam::TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi) {
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

}  // namespace

TEST(ScheduleReport, TextShowsLocalTimesAndMarksTheNextExam) {
    const exam::Site site = exam::load_site(exam::testing::example_site_file());
    const auto now = utc(2026, 6, 1, 5, 30);  // 08:30 in Moscow, checks due for maths
    const auto schedule = exam::build_schedule(site, now);
    std::ostringstream out;
    exam::write_schedule_text(out, site, schedule, now, exam::Palette{false});
    const std::string text = out.str();
    EXPECT_NE(text.find("Now 2026-06-01 08:30 (+03:00)"), std::string::npos) << text;
    EXPECT_NE(text.find("▶  2026-06-01-math"), std::string::npos) << text;
    EXPECT_NE(
        text.find("2026-06-01 08:00  2026-06-01 10:00  2026-06-01 13:55  next, checks due now"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("Next: 2026-06-01-math starts in 1h30m; its checks are due now."),
              std::string::npos)
        << text;
}

TEST(ScheduleReport, TextSaysWhenEverythingHasEnded) {
    const exam::Site site = exam::load_site(exam::testing::example_site_file());
    const auto now = utc(2026, 7, 1, 0, 0);
    const auto schedule = exam::build_schedule(site, now);
    std::ostringstream out;
    exam::write_schedule_text(out, site, schedule, now, exam::Palette{false});
    EXPECT_NE(out.str().find("Every exam in the site file has ended."), std::string::npos);
    EXPECT_EQ(out.str().find("▶"), std::string::npos);
}

TEST(ScheduleReport, JsonCarriesLocalAndUtcTimesAndTheNextId) {
    const exam::Site site = exam::load_site(exam::testing::example_site_file());
    const auto now = utc(2026, 6, 2, 0, 0);
    const auto schedule = exam::build_schedule(site, now);
    std::ostringstream out;
    exam::write_schedule_json(out, site, schedule, now);
    const auto json = nlohmann::json::parse(out.str());
    EXPECT_EQ(json["version"], 1);
    EXPECT_EQ(json["now"], "2026-06-02T00:00:00.000Z");
    EXPECT_EQ(json["next"], "2026-06-04-russian");
    ASSERT_EQ(json["exams"].size(), 2u);
    EXPECT_EQ(json["exams"][0]["status"], "finished");
    EXPECT_EQ(json["exams"][0]["next"], false);
    EXPECT_EQ(json["exams"][1]["checks_due"], "2026-06-04T08:00:00+03:00");
    EXPECT_EQ(json["exams"][1]["start_utc"], "2026-06-04T07:00:00.000Z");
    EXPECT_EQ(json["exams"][1]["end"], "2026-06-04T13:30:00+03:00");
    EXPECT_EQ(json["exams"][1]["status"], "upcoming");
}
