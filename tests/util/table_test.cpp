#include <sstream>

#include <gtest/gtest.h>

#include <exam/util/error.hpp>
#include <exam/util/table.hpp>

TEST(Table, AlignsCyrillicColumnsByDisplayWidth) {
    exam::Table table({{"ROOM"}, {"LABEL"}, {"CAMERAS", exam::Align::right}});
    table.add_row({"0101", "Аудитория 0101", "2"});
    table.add_row({"hq", "Штаб", "12"});
    std::ostringstream out;
    table.render(out, exam::Palette{false});
    EXPECT_EQ(out.str(),
              "ROOM  LABEL           CAMERAS\n"
              "0101  Аудитория 0101        2\n"
              "hq    Штаб                 12\n");
}

TEST(Table, LeavesNoTrailingSpaces) {
    exam::Table table({{"A"}, {"B"}});
    table.add_row({"long value", ""});
    std::ostringstream out;
    table.render(out, exam::Palette{false});
    EXPECT_EQ(out.str(), "A           B\nlong value\n");
}

TEST(Table, PaintsCellsOnlyWhenColourIsOn) {
    exam::Table table({{"STATUS"}});
    table.add_row({{"fail", exam::Color::red}});
    std::ostringstream plain;
    table.render(plain, exam::Palette{false});
    EXPECT_EQ(plain.str().find('\x1b'), std::string::npos);
    std::ostringstream coloured;
    table.render(coloured, exam::Palette{true});
    EXPECT_NE(coloured.str().find("\x1b[31mfail\x1b[0m"), std::string::npos);
}

TEST(Table, RowOfTheWrongSizeIsABug) {
    exam::Table table({{"A"}, {"B"}});
    EXPECT_THROW(table.add_row({"only one"}), exam::InternalError);
}
