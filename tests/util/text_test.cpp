#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <exam/util/text.hpp>

using exam::display_width;

TEST(DisplayWidth, CountsCyrillicLettersNotBytes) {
    EXPECT_EQ(display_width("Аудитория"), 9u);  // 18 bytes
    EXPECT_EQ(display_width("штаб ППЭ"), 8u);
    EXPECT_EQ(display_width("Ёлкин Пётр"), 10u);
}

TEST(DisplayWidth, CombiningMarksTakeNoColumn) {
    EXPECT_EQ(display_width("е\u0308"), 1u);   // е + combining diaeresis looks like ё
    EXPECT_EQ(display_width("a\u200Bb"), 2u);  // zero-width space
}

TEST(DisplayWidth, WideCharactersTakeTwoColumns) {
    EXPECT_EQ(display_width("考试"), 4u);
    EXPECT_EQ(display_width("ok 🎥"), 5u);
}

// From ICU's Unicode data, not tables of our own: characters newer than any table we kept, and
// the marks of scripts beyond the blocks met in practice.
TEST(DisplayWidth, FollowsTheUnicodeDataIcuShips) {
    EXPECT_EQ(display_width("\U0001FAE0"), 2u);    // melting face, Unicode 14
    EXPECT_EQ(display_width("\u231B"), 2u);        // hourglass, an emoji presented as a picture
    EXPECT_EQ(display_width("\u0915\u094D"), 1u);  // Devanagari ka + virama (a mark)
    EXPECT_EQ(display_width("\uFF21"), 2u);        // fullwidth A
    EXPECT_EQ(display_width("\u2764"), 1u);        // heavy heart: text presentation by default
}

TEST(DisplayWidth, InvalidBytesCountOneEach) {
    EXPECT_EQ(display_width("a\xff\xfe"), 3u);
    EXPECT_EQ(display_width("\xd0"), 1u);  // truncated two-byte sequence
}

TEST(Padding, PadsToDisplayColumns) {
    EXPECT_EQ(exam::pad_right("Ёж", 4), "Ёж  ");
    EXPECT_EQ(exam::pad_left("42", 4), "  42");
    EXPECT_EQ(exam::pad_right("longer", 3), "longer");
}

TEST(EditDistance, CountsASwapOfNeighboursAsOneEdit) {
    EXPECT_EQ(exam::edit_distance("lable", "label"), 1u);
    EXPECT_EQ(exam::edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(exam::edit_distance("", "abc"), 3u);
    EXPECT_EQ(exam::edit_distance("same", "same"), 0u);
}

TEST(ClosestMatch, SuggestsATypoFix) {
    constexpr std::array<std::string_view, 3> keys{"id", "uri", "label"};
    EXPECT_EQ(exam::closest_match("lable", keys), "label");
    EXPECT_EQ(exam::closest_match("url", keys), "uri");
}

TEST(ClosestMatch, StaysSilentWhenNothingIsClose) {
    constexpr std::array<std::string_view, 3> keys{"id", "uri", "label"};
    EXPECT_FALSE(exam::closest_match("resolution", keys).has_value());
}

TEST(DidYouMean, SuggestsTheClosestCandidate) {
    constexpr std::array<std::string_view, 3> kinds{"exam", "hq", "entrance"};
    EXPECT_EQ(exam::did_you_mean("enterance", kinds, "the kinds are"),
              "; did you mean \"entrance\"?");
}

TEST(DidYouMean, ListsTheCandidatesWhenNoneIsClose) {
    constexpr std::array<std::string_view, 3> kinds{"exam", "hq", "entrance"};
    EXPECT_EQ(exam::did_you_mean("gym", kinds, "the kinds are"),
              "; the kinds are: exam, hq, entrance");
    EXPECT_EQ(exam::did_you_mean("gym", kinds), "");
}

TEST(DidYouMean, TakesOwnedStringsToo) {
    const std::vector<std::string> ids{"disk", "printer"};
    EXPECT_EQ(exam::did_you_mean("priner", ids), "; did you mean \"printer\"?");
}

TEST(Utf8, AcceptsWellFormedTextInAnyScript) {
    EXPECT_TRUE(exam::is_valid_utf8("Пётр 李 عبد 😀"));
    EXPECT_TRUE(exam::is_valid_utf8(""));
}

TEST(Utf8, RejectsStrayTruncatedOverlongAndSurrogateBytes) {
    for (const char* bad :
         {"\xff", "\xd0", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
        EXPECT_FALSE(exam::is_valid_utf8(bad)) << bad;
    }
}

TEST(Utf8, CodePointsAreCharactersNotBytesAndABadByteIsAReplacementCharacter) {
    EXPECT_EQ(exam::utf8_code_points("Ж«a»😀"), U"Ж«a»😀");
    EXPECT_EQ(exam::utf8_code_points("a\xff"
                                     "b\xd0"),
              U"a\uFFFDb\uFFFD");
    EXPECT_EQ(exam::utf8_code_points(""), U"");
}

TEST(EscapeMarkup, EscapesWhatHtmlAndXmlNeedAndDropsForbiddenControls) {
    EXPECT_EQ(exam::escape_markup("<a href=\"x\">O'Neil & Co</a>"),
              "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; Co&lt;/a&gt;");
    EXPECT_EQ(exam::escape_markup("tab\tbell\x07 Ё"), "tab\tbell Ё");
}

TEST(WithoutPassword, APasswordInAnAddressIsHidden) {
    EXPECT_EQ(exam::without_password("rtsp://operator:s3cret@10.0.0.5:554/stream1"),
              "rtsp://operator:***@10.0.0.5:554/stream1");
    EXPECT_EQ(exam::without_password("rtsp://a:b@c@host/x"), "rtsp://a:***@host/x");
    EXPECT_EQ(exam::without_password("rtsp://operator@10.0.0.5/"), "rtsp://operator@10.0.0.5/");
    EXPECT_EQ(exam::without_password("rtsp://10.0.0.5/a@b:c"), "rtsp://10.0.0.5/a@b:c");
    EXPECT_EQ(exam::without_password("test:640x360"), "test:640x360");
    EXPECT_EQ(exam::without_password("file:/srv/a.mp4"), "file:/srv/a.mp4");
}

TEST(ProtocolText, CaseAndSpacesAreAsciiOnly) {
    EXPECT_EQ(exam::ascii_lower("Content-Length"), "content-length");
    EXPECT_EQ(exam::ascii_upper("h264"), "H264");
    EXPECT_EQ(exam::ascii_lower("Камера"), "Камера") << "bytes above ASCII pass unchanged";
    EXPECT_EQ(exam::trim_spaces(" \t value \r\n"), "value");
    EXPECT_EQ(exam::trim_spaces("   "), "");
}

TEST(ForTerminal, EscapeSequencesAreShownNotObeyed) {
    EXPECT_EQ(exam::for_terminal("Ivan\x1b[2J\x1b[31mPetrov"), "Ivan\\e[2J\\e[31mPetrov");
    EXPECT_EQ(exam::for_terminal("bell\a"), "bell\\x07");
    EXPECT_EQ(exam::for_terminal("c1\xc2\x9b"
                                 "31m"),
              "c1\\x9b31m");
}

TEST(ForTerminal, BidiOverridesAndBadBytesAreShown) {
    EXPECT_EQ(exam::for_terminal("abc\xe2\x80\xae"
                                 "fed"),
              "abc\\u202efed");
    EXPECT_EQ(exam::for_terminal("bad\xff"), "bad\\xff");
}

TEST(ForTerminal, OrdinaryTextIsUnchanged) {
    const std::string name = "Иванов Иван\tИванович — 1234 567890";
    EXPECT_EQ(exam::for_terminal(name), name);
    EXPECT_FALSE(exam::has_unprintable_characters(name));
}

TEST(ForTerminal, LineBreaksPassOnlyWhenAskedFor) {
    EXPECT_EQ(exam::for_terminal("a\nb"), "a\\nb");
    EXPECT_EQ(exam::for_terminal("a\nb", true), "a\nb");
    EXPECT_TRUE(exam::has_unprintable_characters("a\nb"));
    EXPECT_TRUE(exam::has_unprintable_characters(std::string_view{"a\0b", 3}));
}
