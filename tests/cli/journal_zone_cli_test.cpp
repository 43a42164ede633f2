// Times as exam-journal shows and reads them: always with their zone's label; in UTC for an
// auditor's copy without the site file, in the exam point's zone with --tz or the site file.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <exam/util/time.hpp>

#include "cli/journal_fixture.hpp"

namespace {

using exam::testing::contains;
using namespace std::chrono_literals;

// "YYYY-MM-DD HH:MM:SS" of a stored time moved by `shift`, written without TimeZone, the code
// under test.
std::string wall_clock(const std::string& stored, std::chrono::minutes shift,
                       std::size_t length = 19) {
    const auto time = exam::parse_utc(stored);
    EXPECT_TRUE(time.has_value()) << stored;
    std::string text = exam::format_utc(*time + shift);
    text[10] = ' ';
    return text.substr(0, length);
}

class JournalZoneCli : public exam::testing::JournalSiteTest {
protected:
    void SetUp() override {
        JournalSiteTest::SetUp();
        temp.write("staff.csv", "name,role,document\nИванов Пётр,technician,4506123456\n");
        ASSERT_EQ(journal({"roster", "import", "staff.csv"}).exit_code, 0);
        const auto enter =
            journal({"enter", "--name", "Иванов Пётр", "--role", "technician"}, "4506123456\n");
        ASSERT_EQ(enter.exit_code, 0) << enter.standard_error;
        const auto list =
            nlohmann::json::parse(journal({"list", "--json", "--kind", "enter"}).standard_output);
        entered_at = list["entries"][0]["time"];
    }

    std::size_t entries(std::vector<std::string> args) {
        args.insert(args.begin(), {"list", "--json", "--kind", "enter"});
        const auto list = auditor(args);
        EXPECT_EQ(list.exit_code, 0) << list.standard_error;
        return nlohmann::json::parse(list.standard_output)["entries"].size();
    }

    std::string entered_at;  // stored form, UTC
};

}  // namespace

TEST_F(JournalZoneCli, AnAuditorsCopyWithoutTheSiteFileShowsTimesLabelledUtc) {
    const auto list = auditor({"--no-color", "list"});
    ASSERT_EQ(list.exit_code, 0) << list.standard_error;
    EXPECT_TRUE(contains(list.standard_output, wall_clock(entered_at, 0min) + " UTC"))
        << list.standard_output;
    const auto inside = auditor({"--no-color", "inside"});
    ASSERT_EQ(inside.exit_code, 0) << inside.standard_error;
    EXPECT_TRUE(contains(inside.standard_output, wall_clock(entered_at, 0min, 16) + " UTC"))
        << inside.standard_output;
}

TEST_F(JournalZoneCli, TzShowsTimesInTheExamPointsZoneLabelledWithItsOffset) {
    const auto list = auditor({"--no-color", "--tz", "Europe/Moscow", "list"});
    ASSERT_EQ(list.exit_code, 0) << list.standard_error;
    EXPECT_TRUE(contains(list.standard_output, wall_clock(entered_at, 180min) + " +03:00"))
        << list.standard_output;
    EXPECT_FALSE(contains(list.standard_output, " UTC")) << list.standard_output;
    // After the command too, and for every command that shows times.
    const auto inside = auditor({"--no-color", "inside", "--tz", "Asia/Yekaterinburg"});
    ASSERT_EQ(inside.exit_code, 0) << inside.standard_error;
    EXPECT_TRUE(contains(inside.standard_output, wall_clock(entered_at, 300min, 16) + " +05:00"))
        << inside.standard_output;
    const auto roster = auditor({"--no-color", "--tz", "Europe/Moscow", "roster", "list"});
    EXPECT_TRUE(contains(roster.standard_output, " +03:00 by Tester")) << roster.standard_output;
    const auto html = auditor({"--tz", "Europe/Moscow", "list", "--html"});
    EXPECT_TRUE(contains(html.standard_output, "Times are in Europe/Moscow."))
        << html.standard_output;
}

TEST_F(JournalZoneCli, SinceAndUntilAreReadInTheZoneShown) {
    // A minute before the entry on a Moscow wall clock: before it in Moscow, but three hours
    // after it when read as UTC.
    const std::string moscow_minute_before = wall_clock(entered_at, 180min - 1min, 16);
    EXPECT_EQ(entries({"--tz", "Europe/Moscow", "--since", moscow_minute_before}), 1u);
    EXPECT_EQ(entries({"--since", moscow_minute_before}), 0u);
    EXPECT_EQ(entries({"--tz", "Europe/Moscow", "--until", moscow_minute_before}), 0u);
    EXPECT_EQ(entries({"--until", moscow_minute_before}), 1u);
    const auto utc_minute_before = wall_clock(entered_at, -1min, 16);
    EXPECT_EQ(entries({"--tz", "UTC", "--since", utc_minute_before}), 1u);
}

TEST_F(JournalZoneCli, AnUnknownZoneIsAUsageErrorNamingTheOneMeant) {
    const auto list = auditor({"--tz", "Europe/Moskow", "list"});
    EXPECT_EQ(list.exit_code, 64);
    EXPECT_TRUE(contains(list.standard_error, "unknown timezone \"Europe/Moskow\" in --tz"))
        << list.standard_error;
    EXPECT_TRUE(contains(list.standard_error, "did you mean \"Europe/Moscow\"?"))
        << list.standard_error;
    EXPECT_EQ(auditor({"--tz", "Mars/Olympus", "inside"}).exit_code, 64);
}

TEST_F(JournalZoneCli, WithTheSiteFileTimesAreInItsZoneLabelledUnlessTzSaysOtherwise) {
    const auto list = journal({"--no-color", "list"});
    ASSERT_EQ(list.exit_code, 0) << list.standard_error;
    EXPECT_TRUE(contains(list.standard_output, wall_clock(entered_at, 180min) + " +03:00"))
        << list.standard_output;
    const auto inside = journal({"--no-color", "inside"});
    EXPECT_TRUE(contains(inside.standard_output, wall_clock(entered_at, 180min, 16) + " +03:00"))
        << inside.standard_output;
    const auto in_utc = journal({"--no-color", "--tz", "UTC", "list"});
    EXPECT_TRUE(contains(in_utc.standard_output, wall_clock(entered_at, 0min) + " UTC"))
        << in_utc.standard_output;
}
