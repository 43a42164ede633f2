// _n() picks Russian's three plural forms from the catalogue built of po/ru.po (1 пропуск,
// 2 пропуска, 5 пропусков; 11 пропусков, 21 пропуск), in the ru_RU.UTF-8 locale that
// scripts/install-deps.sh generates; and the C locale stays English. Each test runs in its own
// process (CTest), so the locale it sets is its own.
#include <clocale>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <exam/util/translate.hpp>

#include "support/languages.hpp"

namespace {

std::string gaps(unsigned long count) {
    return fmt::format(fmt::runtime(_n("{} gap", "{} gaps", count)), count);
}

class RussianPlurals : public exam::testing::InALocaleTest {};

}  // namespace

TEST_F(RussianPlurals, EachCountTakesTheFormRussianGrammarWants) {
    use_locale("ru_RU.UTF-8");
    ASSERT_STRNE(std::setlocale(LC_MESSAGES, nullptr), "C")
        << "the ru_RU.UTF-8 locale is missing: scripts/install-deps.sh generates it";
    EXPECT_EQ(gaps(1), "1 пропуск");
    EXPECT_EQ(gaps(2), "2 пропуска");
    EXPECT_EQ(gaps(5), "5 пропусков");
    EXPECT_EQ(gaps(11), "11 пропусков");
    EXPECT_EQ(gaps(21), "21 пропуск");
    EXPECT_EQ(gaps(22), "22 пропуска");
    EXPECT_EQ(gaps(25), "25 пропусков");
}

TEST_F(RussianPlurals, TheCLocaleStaysEnglish) {
    use_locale("C");
    EXPECT_EQ(gaps(1), "1 gap");
    EXPECT_EQ(gaps(2), "2 gaps");
    EXPECT_EQ(gaps(21), "21 gaps");
}
