#include <gtest/gtest.h>

#include <exam/util/error.hpp>
#include <exam/util/time.hpp>

using namespace std::chrono;
using exam::TimePoint;
using exam::TimeZone;

namespace {

TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0, int ms = 0) {
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} +
           milliseconds{ms};
}

TimeZone zone(const char* name) {
    auto found = TimeZone::find(name);
    EXPECT_TRUE(found.has_value()) << name;
    return *found;
}

}  // namespace

TEST(Time, FormatsStorageFormWithMilliseconds) {
    EXPECT_EQ(exam::format_utc(utc(2026, 6, 1, 7, 0, 5, 42)), "2026-06-01T07:00:05.042Z");
    EXPECT_EQ(exam::format_utc(utc(1999, 12, 31, 23, 59, 59, 999)), "1999-12-31T23:59:59.999Z");
}

TEST(Time, StorageFormRoundTrips) {
    const TimePoint time = utc(2026, 2, 28, 13, 45, 1, 7);
    EXPECT_EQ(exam::parse_utc(exam::format_utc(time)), time);
}

TEST(Time, ParseUtcAcceptsOnlyTheStorageForm) {
    for (const char* text :
         {"2026-06-01T07:00:05Z", "2026-06-01T07:00:05.042+00:00", "2026-06-01 07:00:05.042Z",
          "2026-02-30T07:00:05.042Z", "2026-06-01T24:00:00.000Z", ""}) {
        EXPECT_FALSE(exam::parse_utc(text).has_value()) << text;
    }
}

TEST(Time, ParsesCalendarDatesOnly) {
    EXPECT_EQ(exam::parse_date("2028-02-29"), year{2028} / February / day{29});
    EXPECT_FALSE(exam::parse_date("2026-02-29").has_value());
    EXPECT_FALSE(exam::parse_date("2026-04-31").has_value());
    EXPECT_FALSE(exam::parse_date("2026-6-1").has_value());
    EXPECT_FALSE(exam::parse_date("01.06.2026").has_value());
}

TEST(Time, ParsesTimesOfDay) {
    EXPECT_EQ(exam::parse_time_of_day("10:00"), hours{10});
    EXPECT_EQ(exam::parse_time_of_day("09:30:15"), hours{9} + minutes{30} + seconds{15});
    for (const char* text : {"24:00", "9:30", "10:60", "10", "10:00pm", "10:00:00.5"}) {
        EXPECT_FALSE(exam::parse_time_of_day(text).has_value()) << text;
    }
}

TEST(TimeZone, UnknownNameIsNotFound) {
    EXPECT_FALSE(TimeZone::find("Europe/Atlantis").has_value());
    EXPECT_FALSE(TimeZone::find("").has_value());
}

TEST(TimeZone, ShowsLocalTimeWithOffset) {
    const TimeZone moscow = zone("Europe/Moscow");
    EXPECT_EQ(moscow.format_rfc3339(utc(2026, 6, 1, 7, 0)), "2026-06-01T10:00:00+03:00");
    EXPECT_EQ(moscow.format_for_display(utc(2026, 6, 1, 7, 0)), "2026-06-01 10:00");
    const TimeZone kolkata = zone("Asia/Kolkata");
    EXPECT_EQ(kolkata.format_rfc3339(utc(2026, 6, 1, 7, 0)), "2026-06-01T12:30:00+05:30");
    const TimeZone new_york = zone("America/New_York");
    EXPECT_EQ(new_york.format_rfc3339(utc(2026, 1, 15, 12, 0)), "2026-01-15T07:00:00-05:00");
}

TEST(TimeZone, RefusesLocalTimesThatAClockChangeSkipsOrRepeats) {
    const TimeZone berlin = zone("Europe/Berlin");
    // 2026-03-29 02:30 does not exist in Berlin; 2026-10-25 02:30 happens twice.
    const auto skipped = local_days{year{2026} / March / day{29}} + hours{2} + minutes{30};
    const auto repeated = local_days{year{2026} / October / day{25}} + hours{2} + minutes{30};
    EXPECT_FALSE(berlin.from_local(exam::LocalTime{skipped}).has_value());
    EXPECT_FALSE(berlin.from_local(exam::LocalTime{repeated}).has_value());
    const auto normal = local_days{year{2026} / June / day{1}} + hours{10};
    EXPECT_EQ(berlin.from_local(exam::LocalTime{normal}), utc(2026, 6, 1, 8, 0));
}

TEST(CommandLineTime, ReadsRfc3339WithOffset) {
    const TimeZone moscow = zone("Europe/Moscow");
    const TimePoint today = utc(2026, 6, 1, 3, 0);
    EXPECT_EQ(exam::parse_command_line_time("2026-06-01T09:30:00+03:00", moscow, today),
              utc(2026, 6, 1, 6, 30));
    EXPECT_EQ(exam::parse_command_line_time("2026-06-01T06:30:00Z", moscow, today),
              utc(2026, 6, 1, 6, 30));
    EXPECT_EQ(exam::parse_command_line_time("2026-06-01T06:30:00.250-01:30", moscow, today),
              utc(2026, 6, 1, 8, 0, 0, 250));
}

TEST(CommandLineTime, ReadsLocalTimesInTheSiteZone) {
    const TimeZone moscow = zone("Europe/Moscow");
    const TimePoint today = utc(2026, 6, 1, 3, 0);
    EXPECT_EQ(exam::parse_command_line_time("2026-06-01 09:30", moscow, today),
              utc(2026, 6, 1, 6, 30));
    EXPECT_EQ(exam::parse_command_line_time("2026-06-01T09:30:10", moscow, today),
              utc(2026, 6, 1, 6, 30, 10));
    EXPECT_EQ(exam::parse_command_line_time("07:45", moscow, today), utc(2026, 6, 1, 4, 45));
}

// As Russian output shows a date, and as a listing shows a time, offset or UTC and all.
TEST(CommandLineTime, ReadsDayFirstDatesAndTimesCopiedFromAListing) {
    const TimeZone moscow = zone("Europe/Moscow");
    const TimePoint today = utc(2026, 6, 1, 3, 0);
    EXPECT_EQ(exam::parse_command_line_time("01.06.2026 09:30", moscow, today),
              utc(2026, 6, 1, 6, 30));
    EXPECT_EQ(exam::parse_command_line_time("01.06.2026 09:30:10 +03:00", moscow, today),
              utc(2026, 6, 1, 6, 30, 10));
    EXPECT_EQ(exam::parse_command_line_time("2026-06-01 09:30:10 +03:00", moscow, today),
              utc(2026, 6, 1, 6, 30, 10));
    EXPECT_EQ(exam::parse_command_line_time("2026-06-01 06:30 UTC", moscow, today),
              utc(2026, 6, 1, 6, 30));
}

TEST(CommandLineTime, BareTimeMeansTheSiteLocalDay) {
    // 22:30 UTC on 31 May is already 1 June in Moscow.
    const TimeZone moscow = zone("Europe/Moscow");
    EXPECT_EQ(exam::parse_command_line_time("07:45", moscow, utc(2026, 5, 31, 22, 30)),
              utc(2026, 6, 1, 4, 45));
}

TEST(CommandLineTime, RejectsOtherFormsWithInputError) {
    const TimeZone moscow = zone("Europe/Moscow");
    for (const char* text : {"tomorrow", "2026-06-01", "2026-06-01T09:30+3", "01.06.26 09:30",
                             "31.06.2026 09:30", "01.06.2026", "2026-06-01T09:30:00+03:00junk",
                             "2026-06-01 09:30 +3", "2026-06-01 09:30 MSK", "25:00"}) {
        EXPECT_THROW(exam::parse_command_line_time(text, moscow, exam::now()), exam::InputError)
            << text;
    }
}

TEST(CommandLineTime, ErrorNamesTheAcceptedForms) {
    const TimeZone moscow = zone("Europe/Moscow");
    try {
        exam::parse_command_line_time("noon", moscow, exam::now());
        FAIL() << "no exception";
    } catch (const exam::InputError& e) {
        EXPECT_NE(std::string{e.what()}.find("\"noon\""), std::string::npos);
        EXPECT_NE(std::string{e.what()}.find("RFC 3339"), std::string::npos);
        EXPECT_EQ(e.exit_code(), exam::ExitCode::bad_input);
    }
}

TEST(CommandLineTime, RejectsAmbiguousLocalTime) {
    const TimeZone berlin = zone("Europe/Berlin");
    EXPECT_THROW(exam::parse_command_line_time("2026-10-25 02:30", berlin, exam::now()),
                 exam::InputError);
}

TEST(TimeZone, LabelsTimesWithUtcOrTheOffset) {
    const TimePoint time = utc(2026, 6, 1, 7, 45, 12);
    EXPECT_EQ(zone("UTC").format_labelled(time, exam::TimePrecision::seconds),
              "2026-06-01 07:45:12 UTC");
    EXPECT_EQ(zone("Etc/UTC").label_at(time), "UTC");
    EXPECT_EQ(zone("Europe/Moscow").format_labelled(time), "2026-06-01 10:45 +03:00");
    EXPECT_EQ(zone("Asia/Kolkata").label_at(time), "+05:30");
    // The offset in force at that instant, summer or winter.
    EXPECT_EQ(zone("Europe/Berlin").label_at(utc(2026, 1, 15, 12, 0)), "+01:00");
    EXPECT_EQ(zone("Europe/Berlin").label_at(time), "+02:00");
    EXPECT_EQ(zone("America/New_York").label_at(time), "-04:00");
}

TEST(TimeZone, SuggestsTheNameMeantByATypo) {
    EXPECT_EQ(TimeZone::closest_name("Europe/Moskow"), "Europe/Moscow");
    EXPECT_EQ(TimeZone::closest_name("europe/moscow"), "Europe/Moscow");
    EXPECT_EQ(TimeZone::closest_name("Asia/Yekaterinberg"), "Asia/Yekaterinburg");
    EXPECT_EQ(TimeZone::closest_name("Moscow time please"), std::nullopt);
}

TEST(TimeZone, AnUnknownZoneInAnOptionIsAUsageErrorWithTheNameMeant) {
    EXPECT_EQ(exam::time_zone_from_option("Europe/Moscow", "--tz").name(), "Europe/Moscow");
    try {
        (void)exam::time_zone_from_option("Europe/Moskow", "--tz");
        FAIL() << "no exception";
    } catch (const exam::UsageError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("unknown timezone \"Europe/Moskow\" in --tz"), std::string::npos)
            << message;
        EXPECT_NE(message.find("did you mean \"Europe/Moscow\"?"), std::string::npos) << message;
        EXPECT_NE(message.find("timedatectl list-timezones"), std::string::npos) << message;
    }
}

TEST(CommandLineTime, ErrorNamesTheZoneLocalTimesAreReadIn) {
    try {
        exam::parse_command_line_time("noon", zone("Asia/Yekaterinburg"), exam::now());
        FAIL() << "no exception";
    } catch (const exam::InputError& e) {
        EXPECT_NE(std::string{e.what()}.find("a local time in Asia/Yekaterinburg"),
                  std::string::npos)
            << e.what();
    }
}
