#include <gtest/gtest.h>

#include <exam/journal/names.hpp>
#include <exam/util/error.hpp>

TEST(NameKey, IgnoresCaseYoAndSpaces) {
    EXPECT_EQ(exam::name_key("  ПЁТР   Иванов "), exam::name_key("петр иванов"));
    EXPECT_EQ(exam::name_key("Алёна"), exam::name_key("АЛЕНА"));
}

TEST(NameKey, ComposesDecomposedLetters) {
    // "й" typed as "и" + combining breve, and "ё" as "е" + combining diaeresis.
    EXPECT_EQ(exam::name_key("Сергеи\u0306"), exam::name_key("Сергей"));
    EXPECT_EQ(exam::name_key("Пе\u0308тр"), exam::name_key("Петр"));
}

TEST(NameKey, DifferentNamesStayDifferent) {
    EXPECT_NE(exam::name_key("Иванов"), exam::name_key("Иванова"));
}

TEST(CleanName, KeepsCaseAndCollapsesSpaces) {
    EXPECT_EQ(exam::clean_name("  Пётр\t Иванов  "), "Пётр Иванов");
}

TEST(DocumentNumber, KeepsLettersAndDigitsInUpperCase) {
    EXPECT_EQ(exam::normalise_document_number("45 06-123456"), "4506123456");
    EXPECT_EQ(exam::normalise_document_number("iv-ab 123"), "IVAB123");
    EXPECT_EQ(exam::normalise_document_number("ав 12"), "АВ12");
}

TEST(NameKey, InvalidUtf8IsAnInputError) {
    EXPECT_THROW((void)exam::name_key("\xff\xfe"), exam::InputError);
}
