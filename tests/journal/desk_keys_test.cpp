#include <gtest/gtest.h>

#include <exam/journal/desk_keys.hpp>

using exam::desk_answer;
using exam::desk_command;
using exam::DeskAnswer;
using exam::DeskCommand;

TEST(DeskAnswer, YesOnlyOnYInEitherLayoutAndCase) {
    for (const char* yes : {"y", "Y", "н", "Н", " y "}) {
        EXPECT_EQ(desk_answer(yes), DeskAnswer::yes) << yes;
    }
}

TEST(DeskAnswer, NoOnNInEitherLayoutAndCase) {
    for (const char* no : {"n", "N", "т", "Т"}) {
        EXPECT_EQ(desk_answer(no), DeskAnswer::no) << no;
    }
}

TEST(DeskAnswer, EnterAloneIsNoAnswer) {
    EXPECT_EQ(desk_answer(""), DeskAnswer::nothing);
    EXPECT_EQ(desk_answer("  "), DeskAnswer::nothing);
}

TEST(DeskAnswer, AScanIsNeverAnAnswer) {
    for (const char* scan : {"4506123456", "4506 123456", "9999000000", "AB1234567"}) {
        EXPECT_EQ(desk_answer(scan), DeskAnswer::scan) << scan;
    }
}

TEST(DeskAnswer, WordsAndOtherKeysAreNotAnswers) {
    for (const char* other : {"yy", "yes", "да", "q", "й", "x", "1"}) {
        EXPECT_EQ(desk_answer(other), DeskAnswer::other) << other;
    }
}

TEST(DeskCommand, QuitAndAdmitAnywayInEitherLayoutAndCase) {
    for (const char* quit : {"q", "Q", "й", "Й"}) {
        EXPECT_EQ(desk_command(quit), DeskCommand::quit) << quit;
    }
    for (const char* anyway : {"a", "A", "ф", "Ф"}) {
        EXPECT_EQ(desk_command(anyway), DeskCommand::admit_anyway) << anyway;
    }
}

TEST(DeskCommand, EmptyLineIsNothingAndEverythingElseADocument) {
    EXPECT_EQ(desk_command(""), DeskCommand::nothing);
    EXPECT_EQ(desk_command(" "), DeskCommand::nothing);
    for (const char* document : {"4506123456", "qq", "y", "n", "quit"}) {
        EXPECT_EQ(desk_command(document), DeskCommand::document) << document;
    }
}
