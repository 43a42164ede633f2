#include <gtest/gtest.h>

#include <exam/util/duration.hpp>

using namespace std::chrono_literals;
using exam::format_duration;
using exam::Milliseconds;
using exam::parse_duration;

TEST(Duration, ReadsEachUnit) {
    EXPECT_EQ(parse_duration("500ms"), Milliseconds{500});
    EXPECT_EQ(parse_duration("90s"), Milliseconds{90s});
    EXPECT_EQ(parse_duration("30m"), Milliseconds{30min});
    EXPECT_EQ(parse_duration("2h"), Milliseconds{2h});
    EXPECT_EQ(parse_duration("1d"), Milliseconds{24h});
}

TEST(Duration, ReadsSumsOfUnits) {
    EXPECT_EQ(parse_duration("1h30m"), Milliseconds{90min});
    EXPECT_EQ(parse_duration("3h55m"), Milliseconds{235min});
    EXPECT_EQ(parse_duration("1m30s250ms"), Milliseconds{90250});
}

TEST(Duration, RejectsWhatIsNotADuration) {
    for (const char* text : {"", "2", "h", "2 h", "2hours", "-5s", "1.5h", "2H", "s30", "5ms5"}) {
        EXPECT_FALSE(parse_duration(text).has_value()) << text;
    }
}

TEST(Duration, RejectsOverflowInsteadOfWrapping) {
    EXPECT_FALSE(parse_duration("99999999999999999999s").has_value());
    EXPECT_FALSE(parse_duration("9999999999999999d").has_value());
}

TEST(Duration, FormatsTheShortestExactSpelling) {
    EXPECT_EQ(format_duration(Milliseconds{90min}), "1h30m");
    EXPECT_EQ(format_duration(Milliseconds{500}), "500ms");
    EXPECT_EQ(format_duration(Milliseconds{0}), "0s");
    EXPECT_EQ(format_duration(Milliseconds{26h}), "1d2h");
    EXPECT_EQ(format_duration(-Milliseconds{90s}), "-1m30s");
}

TEST(Duration, FormatReadsBack) {
    for (const long long ms : {1LL, 999LL, 1000LL, 61001LL, 3600000LL, 90061001LL}) {
        EXPECT_EQ(parse_duration(format_duration(Milliseconds{ms})), Milliseconds{ms}) << ms;
    }
}

TEST(Duration, ElapsedTimesAreShownToASensiblePrecision) {
    using exam::format_elapsed;
    EXPECT_EQ(format_elapsed(0ms), "0ms");
    EXPECT_EQ(format_elapsed(340ms), "340ms");
    EXPECT_EQ(format_elapsed(1499ms), "1.5s");
    EXPECT_EQ(format_elapsed(2000ms), "2s");
    EXPECT_EQ(format_elapsed(3987ms), "4s");
    EXPECT_EQ(format_elapsed(12345ms), "12s");
    EXPECT_EQ(format_elapsed(65400ms), "1m5s");
}
