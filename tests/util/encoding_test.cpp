#include <gtest/gtest.h>

#include <exam/util/encoding.hpp>

#include "support/encode_text.hpp"

using exam::TextEncoding;
using exam::testing::encode_text;

namespace {

const std::string k_text = "ФИО;Роль\r\nЁлкина Алёна;член ГЭК\r\n№ 5 — «ок»\r\n";

}  // namespace

TEST(OfficeText, Utf8PassesThroughWithoutItsBom) {
    for (const std::string& bytes : {k_text, "\xEF\xBB\xBF" + k_text}) {
        const auto decoded = exam::decode_office_text(bytes);
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(decoded->utf8, k_text);
        EXPECT_EQ(decoded->encoding, TextEncoding::utf8);
    }
}

TEST(OfficeText, Windows1251IsReadAsSuch) {
    const std::string bytes = encode_text(k_text, "CP1251");
    ASSERT_NE(bytes, k_text);
    const auto decoded = exam::decode_office_text(bytes);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->utf8, k_text);
    EXPECT_EQ(decoded->encoding, TextEncoding::windows_1251);
}

TEST(OfficeText, Utf16WithItsBomIsReadInEitherByteOrder) {
    for (const auto& [bom, encoding] : {std::pair{std::string{"\xFF\xFE"}, "UTF-16LE"},
                                        std::pair{std::string{"\xFE\xFF"}, "UTF-16BE"}}) {
        const auto decoded = exam::decode_office_text(bom + encode_text(k_text, encoding));
        ASSERT_TRUE(decoded.has_value()) << encoding;
        EXPECT_EQ(decoded->utf8, k_text) << encoding;
        EXPECT_EQ(decoded->encoding, TextEncoding::utf16);
    }
}

TEST(OfficeText, TextInNoKnownEncodingIsRefused) {
    // UTF-16 without its mark: NUL bytes between the letters.
    EXPECT_FALSE(exam::decode_office_text(encode_text("name;role\r\n", "UTF-16LE")).has_value());
    // Control bytes: a binary file, not Windows-1251.
    EXPECT_FALSE(exam::decode_office_text("PK\x03\x04\xC0\xFF").has_value());
    // 0x98 is the one byte Windows-1251 leaves undefined.
    EXPECT_FALSE(exam::decode_office_text("\xC0\x98\xC1").has_value());
    // A file that says it is UTF-8 and is not.
    EXPECT_FALSE(exam::decode_office_text("\xEF\xBB\xBF\xC0\xC1").has_value());
    // Half a UTF-16 character.
    EXPECT_FALSE(exam::decode_office_text("\xFF\xFE\x41").has_value());
}

TEST(ConvertToUtf8, UnknownEncodingIsNotConverted) {
    EXPECT_FALSE(exam::convert_to_utf8("abc", "NO-SUCH-ENCODING").has_value());
    EXPECT_EQ(exam::convert_to_utf8("", "CP1251"), "");
}
