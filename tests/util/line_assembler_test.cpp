#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <exam/util/line_assembler.hpp>

using exam::LineAssembler;
using exam::TypedInput;

namespace {

// Lines as "text", Esc as "<esc>", Ctrl-D as "<end>".
std::vector<std::string> taken(LineAssembler& input) {
    std::vector<std::string> all;
    while (const auto next = input.next()) {
        switch (next->kind) {
            case TypedInput::Kind::line: all.push_back(next->text); break;
            case TypedInput::Kind::escape: all.emplace_back("<esc>"); break;
            case TypedInput::Kind::end: all.emplace_back("<end>"); break;
        }
    }
    return all;
}

std::vector<std::string> lines_of(std::string_view bytes) {
    LineAssembler input;
    input.feed(bytes);
    return taken(input);
}

using Lines = std::vector<std::string>;

}  // namespace

TEST(LineAssembler, CrLfAndCrLfAreEachOneLineEnd) {
    EXPECT_EQ(lines_of("4506123456\r"), Lines{"4506123456"});
    EXPECT_EQ(lines_of("4506123456\n"), Lines{"4506123456"});
    EXPECT_EQ(lines_of("4506123456\r\n"), Lines{"4506123456"});
    EXPECT_EQ(lines_of("4506123456\r\n9999000000\r\n"), (Lines{"4506123456", "9999000000"}));
}

TEST(LineAssembler, CrLfSplitAcrossReadsIsStillOneLineEnd) {
    LineAssembler input;
    input.feed("4506123456\r");
    EXPECT_EQ(taken(input), Lines{"4506123456"});
    input.feed("\ny\r");
    EXPECT_EQ(taken(input), Lines{"y"});
}

TEST(LineAssembler, LfOfACrLfArrivingAfterADiscardIsNoEmptyLine) {
    LineAssembler input;
    input.feed("4506123456\r");
    input.discard();
    input.feed("\n");
    EXPECT_FALSE(input.ready());
}

TEST(LineAssembler, StrayEntersAreEmptyLines) {
    EXPECT_EQ(lines_of("\r\r"), (Lines{"", ""}));
    EXPECT_EQ(lines_of("\n\r"), (Lines{"", ""}));  // LF CR is two ends, not CR LF
    EXPECT_EQ(lines_of("\r\n\r\n"), (Lines{"", ""}));
}

TEST(LineAssembler, BackspaceRemovesWholeCharactersAndCtrlUTheLine) {
    EXPECT_EQ(lines_of("45061234567\x7f\r"), Lines{"4506123456"});
    EXPECT_EQ(lines_of("4506\b\b06\r"), Lines{"4506"});
    EXPECT_EQ(lines_of("нн\x7f\r"), Lines{"н"});  // two bytes each
    EXPECT_EQ(lines_of("\x7f\x7fq\r"), Lines{"q"});
    EXPECT_EQ(lines_of("1234\x15y\r"), Lines{"y"});
}

TEST(LineAssembler, CtrlDIsAKeyOfItsOwnAndDropsTheLineBeingTyped) {
    EXPECT_EQ(lines_of("\x04"), Lines{"<end>"});
    EXPECT_EQ(lines_of("4506\x04"), Lines{"<end>"});
    EXPECT_EQ(lines_of("q\r\x04"), (Lines{"q", "<end>"}));
}

TEST(LineAssembler, EscIsKnownOnlyWhenNothingFollowsIt) {
    LineAssembler input;
    input.feed("12\x1b");
    EXPECT_FALSE(input.ready());
    EXPECT_TRUE(input.awaits_rest_of_key());
    input.settle();
    EXPECT_EQ(taken(input), Lines{"<esc>"});
    input.feed("y\r");
    EXPECT_EQ(taken(input), Lines{"y"});  // the "12" before Esc was dropped
}

TEST(LineAssembler, EscFollowedByAnOrdinaryKeyIsEscThenTheKey) {
    EXPECT_EQ(lines_of("\x1bn\r"), (Lines{"<esc>", "n"}));
}

TEST(LineAssembler, ArrowAndFunctionKeysLeaveNothingBehind) {
    EXPECT_EQ(lines_of("\x1b[A4506\x1b[D123456\x1bOP\x1b[15~\r"), Lines{"4506123456"});
}

TEST(LineAssembler, OtherControlCharactersAreNoPartOfALine) {
    EXPECT_EQ(lines_of("4506\t123456\x01\r"), Lines{"4506123456"});
}

TEST(LineAssembler, HoldsWhatWasTypedAheadUntilDiscarded) {
    LineAssembler input;
    EXPECT_FALSE(input.holds_anything());
    input.feed("9999");
    EXPECT_TRUE(input.holds_anything());
    EXPECT_FALSE(input.ready());
    EXPECT_EQ(input.partial(), "9999");
    input.feed("000000\r45");
    EXPECT_TRUE(input.ready());
    input.discard();
    EXPECT_FALSE(input.holds_anything());
    input.feed("06\r");
    EXPECT_EQ(taken(input), Lines{"06"});
}
