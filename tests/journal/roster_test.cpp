#include <gtest/gtest.h>

#include <exam/core/site_loader.hpp>
#include <exam/journal/roster.hpp>
#include <exam/util/error.hpp>

namespace {

exam::Site site_with_exam() {
    return exam::parse_site(R"(ppe_code = "0042"
region = "01"
name = "x"
timezone = "Europe/Moscow"
[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "3h"
)",
                            "site.toml");
}

void expect_bad_row(const std::string& text, const std::string& fragment) {
    try {
        (void)exam::parse_roster(text, "staff.csv", site_with_exam());
        ADD_FAILURE() << "accepted: " << text;
    } catch (const exam::InputError& e) {
        EXPECT_NE(std::string{e.what()}.find(fragment), std::string::npos) << e.what();
    }
}

}  // namespace

TEST(Roster, ReadsSemicolonsWithBomAndRussianHeaders) {
    const auto rows = exam::parse_roster(
        "\xEF\xBB\xBFФИО;Должность;Паспорт;Экзамен\r\nИванов  Пётр;technician;45 06 "
        "123456;math\r\n\r\n",
        "staff.csv", site_with_exam());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].name, "Иванов Пётр");
    EXPECT_EQ(rows[0].role, "technician");
    EXPECT_EQ(rows[0].document, "4506123456");
    EXPECT_EQ(rows[0].exam, "math");
    EXPECT_EQ(rows[0].line, 2);
}

TEST(Roster, ReadsCommasWithQuotedValuesInAnyColumnOrder) {
    const auto rows = exam::parse_roster(
        "document,name,role\n\"4507 654321\",\"Смирнова, Анна \"\"Аня\"\"\",commission\n",
        "staff.csv", site_with_exam());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].name, "Смирнова, Анна \"Аня\"");
    EXPECT_FALSE(rows[0].exam.has_value());
}

TEST(Roster, BadRowsNameTheirLine) {
    expect_bad_row("name,role,document\nA,technician,123456\nB,technician,12\n",
                   "staff.csv:3: the document number of B");
    expect_bad_row("name,role,document\n,technician,123456\n", "staff.csv:2: the name is empty");
    expect_bad_row("name,role,document,exam\nA,technician,123456,history\n",
                   "staff.csv:2: exam \"history\"");
    expect_bad_row("name,role,document\nA,technician,\"123456\n",
                   "staff.csv:2: a quoted value is never closed");
    expect_bad_row("name,role,document\n", "the staff list has a header but no people");
    expect_bad_row("name,name,role,document\n", "staff.csv:1: the column \"name\" appears twice");
}

TEST(Roster, InvalidUtf8IsRefused) {
    EXPECT_THROW((void)exam::parse_roster("name,role,document\n\xff,technician,123456\n",
                                          "staff.csv", site_with_exam()),
                 exam::InputError);
}
