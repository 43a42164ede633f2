// Dates, decimals and units as a Russian reader writes them, from the catalogue built of
// po/ru.po (it says "date-order:dmy" and "decimal-mark:,"), in output for people only; the C
// locale, and every form meant for files, stay as they were. Each test runs in its own
// process (CTest), so the locale it sets is its own.
#include <cerrno>
#include <clocale>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <gtest/gtest.h>

#include <exam/util/byte_size.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/error.hpp>
#include <exam/util/time.hpp>
#include <exam/util/translate.hpp>

#include "support/languages.hpp"

namespace {

using namespace std::chrono_literals;

class RussianForms : public exam::testing::InALocaleTest {};

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

// What goes into a record and before a person at once: the record keeps the English text, the
// system's error words and spans included; the person reads all of it in Russian. A text made
// inside another (a field that is itself a recorded text) follows the same language.
TEST_F(RussianForms, ARecordedTextIsEnglishWhereTheShownOneIsRussian) {
    use_locale("ru_RU.UTF-8");
    ASSERT_STRNE(std::setlocale(LC_MESSAGES, nullptr), "C")
        << "the ru_RU.UTF-8 locale is missing: scripts/install-deps.sh generates it";
    const int refused = ECONNREFUSED;
    const exam::RecordedText broke =
        _rf("the connection to the camera broke: {}",
            std::error_code{refused, std::generic_category()}.message());
    EXPECT_EQ(broke.recorded, "the connection to the camera broke: Connection refused");
    EXPECT_EQ(broke.shown, "соединение с камерой прервалось: В соединении отказано");
    const exam::RecordedText silent = _rf("the camera sent nothing for {}", exam::format_span(90s));
    EXPECT_EQ(silent.recorded, "the camera sent nothing for 1m30s");
    EXPECT_EQ(silent.shown, "камера ничего не передавала в течение 1 мин 30 с");
    const exam::RecordedText alarm = _rf("ALARM: {}", broke);
    EXPECT_EQ(alarm.recorded, "ALARM: the connection to the camera broke: Connection refused");
    EXPECT_EQ(alarm.shown, "ТРЕВОГА: соединение с камерой прервалось: В соединении отказано");
    // An error carries both; anything else is what it says.
    const exam::DeviceError error{broke};
    EXPECT_EQ(exam::recorded_text(error), broke);
    EXPECT_EQ(exam::recorded_text(std::runtime_error{"x"}), (exam::RecordedText{"x", "x"}));
    // Afterwards, and meanwhile on other threads, the user's language as before.
    EXPECT_EQ(exam::format_span(90s), "1 мин 30 с");
    std::string elsewhere;
    {
        const exam::InTheRecordsLanguage english;
        std::thread other{[&] { elsewhere = exam::format_span(90s); }};
        other.join();
        EXPECT_EQ(exam::format_span(90s), "1m30s");
    }
    EXPECT_EQ(elsewhere, "1 мин 30 с");
}
