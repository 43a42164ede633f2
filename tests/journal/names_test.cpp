#include <gtest/gtest.h>

#include <exam/core/roles.hpp>
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

TEST(RoleFromText, ReadsRoleIdsInAnyCase) {
    EXPECT_EQ(exam::role_from_text("commission"), "commission");
    EXPECT_EQ(exam::role_from_text(" Organizer-Room "), "organizer-room");
}

TEST(RoleFromText, ReadsPpe07TitlesWhateverTheCaseAndSpacing) {
    EXPECT_EQ(exam::role_from_text("член ГЭК"), "commission");
    EXPECT_EQ(exam::role_from_text("  ЧЛЕН   гэк "), "commission");
    EXPECT_EQ(exam::role_from_text("Руководитель ППЭ"), "head");
    EXPECT_EQ(exam::role_from_text("организатор в аудитории"), "organizer-room");
    EXPECT_EQ(exam::role_from_text("Организатор вне аудитории"), "organizer-outside");
    EXPECT_EQ(exam::role_from_text("ТЕХНИЧЕСКИЙ СПЕЦИАЛИСТ"), "technician");
    EXPECT_EQ(exam::role_from_text("медицинский работник"), "medic");
    EXPECT_EQ(exam::role_from_text("Общественный наблюдатель"), "observer");
    EXPECT_EQ(exam::role_from_text("сотрудник полиции"), "police");
    EXPECT_EQ(exam::role_from_text("Экзаменатор - собеседник"), "examiner");
    EXPECT_EQ(exam::role_from_text("специалист по проведению инструктажа и обеспечению "
                                   "лабораторных работ"),
              "instructor");
}

TEST(RoleFromText, EveryTitleNamesAKnownRole) {
    for (const exam::RoleAlias& alias : exam::role_aliases()) {
        EXPECT_TRUE(exam::is_known_role(alias.role)) << alias.title;
        // No title is shadowed by an earlier one that reads the same.
        EXPECT_EQ(exam::role_from_text(alias.title), alias.role) << alias.title;
    }
}

TEST(RoleFromText, OtherWordsAreNoRole) {
    EXPECT_EQ(exam::role_from_text("организатор"), std::nullopt);
    EXPECT_EQ(exam::role_from_text("organiser"), std::nullopt);
    EXPECT_EQ(exam::role_from_text(""), std::nullopt);
    EXPECT_THROW((void)exam::role_from_text("\xff"), exam::InputError);
}
