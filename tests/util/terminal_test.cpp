#include <gtest/gtest.h>
#include <unistd.h>

#include <exam/util/terminal.hpp>

using exam::color_wanted;
using exam::ColorMode;

TEST(Color, OnlyOnATerminal) {
    EXPECT_TRUE(color_wanted(ColorMode::automatic, true, nullptr));
    EXPECT_FALSE(color_wanted(ColorMode::automatic, false, nullptr));
}

TEST(Color, NeverWithNoColorSet) {
    EXPECT_FALSE(color_wanted(ColorMode::automatic, true, "1"));
    // The convention: an empty NO_COLOR does not count.
    EXPECT_TRUE(color_wanted(ColorMode::automatic, true, ""));
}

TEST(Color, NeverWithTheNoColorFlag) {
    EXPECT_FALSE(color_wanted(ColorMode::never, true, nullptr));
}

TEST(Color, PipesGetNoColourFromThisProcess) {
    // A pipe is never a terminal, whatever NO_COLOR says.
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    EXPECT_FALSE(exam::color_wanted_for(ColorMode::automatic, fds[1]));
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(Palette, DisabledPaletteReturnsTextUnchanged) {
    EXPECT_EQ(exam::Palette{false}.paint("ok", exam::Color::green), "ok");
    EXPECT_EQ(exam::Palette{true}.paint("ok", exam::Color::green), "\x1b[32mok\x1b[0m");
    EXPECT_EQ(exam::Palette{true}.paint("ok", exam::Color::none), "ok");
}
