// Dates, decimals and units as a Russian reader writes them, from the catalogue built of
// po/ru.po (it says "date-order:dmy" and "decimal-mark:,"), in output for people only; the C
// locale, and every form meant for files, stay as they were. Each test runs in its own
// process (CTest), so the locale it sets is its own.
#include <clocale>
#include <cstdlib>

#include <gtest/gtest.h>

#include <exam/util/byte_size.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/time.hpp>
#include <exam/util/translate.hpp>

namespace {

using namespace std::chrono_literals;

void use_locale(const char* name) {
    ::setenv("LC_ALL", name, 1);
    ::unsetenv("LANGUAGE");
    exam::init_translation(EXAM_BUILT_CATALOGUES);
}

// Run as one process (the binary by hand, not CTest), the next tests find the C locale again.
class RussianForms : public ::testing::Test {
protected:
    void TearDown() override {
        ::unsetenv("LC_ALL");
        std::setlocale(LC_ALL, "C");
    }
};

exam::TimePoint ten_to_eight_in_moscow() {
    // 2026-11-22 04:45:30 UTC is 07:45:30 in Moscow.
    return exam::TimePoint{
        std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}.time_since_epoch() + 4h + 45min +
        30s};
}

}  // namespace

TEST_F(RussianForms, DatesAreDayFirstAndDecimalsTakeAComma) {
    use_locale("ru_RU.UTF-8");
    ASSERT_STRNE(std::setlocale(LC_MESSAGES, nullptr), "C")
        << "the ru_RU.UTF-8 locale is missing: scripts/install-deps.sh generates it";
    const auto moscow = exam::TimeZone::find("Europe/Moscow");
    ASSERT_TRUE(moscow);
    EXPECT_EQ(moscow->format_for_display(ten_to_eight_in_moscow()), "22.11.2026 07:45");
    EXPECT_EQ(moscow->format_labelled(ten_to_eight_in_moscow(), exam::TimePrecision::seconds),
              "22.11.2026 07:45:30 +03:00");
    EXPECT_EQ(exam::format_byte_size(1'500'000'000), "1,5 ГБ");
    EXPECT_EQ(exam::format_byte_size(999), "999 Б");
    EXPECT_EQ(exam::format_bitrate(4'200'000), "4,2 Мбит/с");
    EXPECT_EQ(exam::format_elapsed(1500ms), "1,5 с");
    EXPECT_EQ(exam::format_elapsed(12ms), "12 мс");
    EXPECT_EQ(exam::format_elapsed(65s), "1 мин 5 с");
    EXPECT_EQ(exam::format_span(90min), "1 ч 30 мин");
    EXPECT_EQ(exam::format_span(6559ms), "6 с 559 мс");
    EXPECT_EQ(exam::language_tag(), "ru");
    // A message's number, where the translation asks for it ({:.2Lf}); no grouping of
    // thousands.
    EXPECT_EQ(_f("the 1-minute load average is {:.2f}", 1.5), "средняя загрузка за 1 минуту: 1,50");
    EXPECT_EQ(_f("a 1-minute load average of at most {:g}", 12345.5),
              "средняя загрузка за 1 минуту не более 12345,5");
    // What files keep: ISO times, decimal points, the config's units.
    EXPECT_EQ(exam::format_utc(ten_to_eight_in_moscow()), "2026-11-22T04:45:30.000Z");
    EXPECT_EQ(moscow->format_rfc3339(ten_to_eight_in_moscow()), "2026-11-22T07:45:30+03:00");
    EXPECT_EQ(exam::format_duration(90s), "1m30s");
}

TEST_F(RussianForms, TheCLocaleStaysAsItWas) {
    use_locale("C");
    const auto moscow = exam::TimeZone::find("Europe/Moscow");
    ASSERT_TRUE(moscow);
    EXPECT_EQ(moscow->format_for_display(ten_to_eight_in_moscow()), "2026-11-22 07:45");
    EXPECT_EQ(exam::format_byte_size(1'500'000'000), "1.5 GB");
    EXPECT_EQ(exam::format_bitrate(4'200'000), "4.2 Mbit/s");
    EXPECT_EQ(exam::format_elapsed(1500ms), "1.5s");
    EXPECT_EQ(exam::format_elapsed(12ms), "12ms");
    EXPECT_EQ(exam::format_elapsed(65s), "1m5s");
    EXPECT_EQ(exam::format_span(90min), "1h30m");
    EXPECT_EQ(exam::format_span(6559ms), "6s559ms");
    EXPECT_EQ(exam::language_tag(), "en");
    EXPECT_EQ(_f("the 1-minute load average is {:.2f}", 1.5), "the 1-minute load average is 1.50");
}
