#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <exam/core/site_loader.hpp>
#include <exam/journal/roster.hpp>
#include <exam/util/error.hpp>
#include <exam/util/sha256.hpp>

#include "support/encode_text.hpp"
#include "support/temp_dir.hpp"

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
                   "staff.csv:2:14: a quoted value is never closed");
    expect_bad_row("name,role,document\n", "the staff list has a header but no people");
    expect_bad_row("name,name,role,document\n", "staff.csv:1: the column \"name\" appears twice");
}

TEST(Roster, InvalidUtf8IsRefused) {
    EXPECT_THROW((void)exam::parse_roster("name,role,document\n\xff,technician,123456\n",
                                          "staff.csv", site_with_exam()),
                 exam::InputError);
}

TEST(Roster, RussianRoleTitlesAreStoredAsRoleIds) {
    const auto rows = exam::parse_roster(
        "ФИО;Должность;Паспорт\n"
        "Иванов Пётр;Член ГЭК;4506 123456\n"
        "Петрова Анна;  организатор   в аудитории ;4507 654321\n"
        "Ким Юн;технический специалист;4508 111222\n"
        "Орлов Ян;technician;4509 333444\n",
        "staff.csv", site_with_exam());
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].role, "commission");
    EXPECT_EQ(rows[1].role, "organizer-room");
    EXPECT_EQ(rows[2].role, "technician");
    EXPECT_EQ(rows[3].role, "technician");
}

TEST(Roster, UnknownRoleTitleNamesTheRolesAndTheTitles) {
    expect_bad_row("ФИО;Роль;Паспорт\nИванов Пётр;организатор;4506 123456\n",
                   "staff.csv:2: unknown role \"организатор\"; the roles are: head,");
    expect_bad_row("ФИО;Роль;Паспорт\nИванов Пётр;организатор;4506 123456\n", "член ГЭК");
}

TEST(Roster, ReadsExcelQuotingOfSeparatorsQuotesAndLineBreaks) {
    // What Excel writes for cells holding ';', '"' and Alt+Enter.
    const auto rows = exam::parse_roster(
        "\"ФИО\";\"Роль\";\"Документ\"\r\n"
        "\"Смирнова; Анна\";\"член ГЭК\";\"4507 654321\"\r\n"
        "\"Ким \"\"Юн\"\"\";организатор вне аудитории;4508 111222\r\n"
        "\"Орлов\r\nЯн\";эксперт;4509 333444\r\n"
        "Белов Иван;ассистент;4510 555666\r\n",
        "staff.csv", site_with_exam());
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].name, "Смирнова; Анна");
    EXPECT_EQ(rows[1].name, "Ким \"Юн\"");
    EXPECT_EQ(rows[1].role, "organizer-outside");
    EXPECT_EQ(rows[2].name, "Орлов Ян");
    EXPECT_EQ(rows[2].role, "expert");
    EXPECT_EQ(rows[3].line, 6);  // the line break inside row 4 counts
}

TEST(Roster, Windows1251WithCrLfIsDecodedAndRead) {
    const std::string bytes = exam::testing::encode_text(
        "ФИО;Должность;Номер документа\r\nЁлкина Алёна;Медицинский работник;45 06 123456\r\n",
        "CP1251");
    const exam::DecodedText text = exam::decode_roster(bytes, "staff.csv");
    EXPECT_EQ(text.encoding, exam::TextEncoding::windows_1251);
    const auto rows = exam::parse_roster(text.utf8, "staff.csv", site_with_exam());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].name, "Ёлкина Алёна");
    EXPECT_EQ(rows[0].role, "medic");
}

TEST(Roster, Utf16UnicodeTextWithTabsIsRead) {
    const std::string bytes = "\xFF\xFE" + exam::testing::encode_text(
                                               "ФИО\tРоль\tДокумент\r\n"
                                               "Иванов Пётр\tчлен ГЭК\t4506 123456\r\n",
                                               "UTF-16LE");
    const exam::DecodedText text = exam::decode_roster(bytes, "staff.txt");
    EXPECT_EQ(text.encoding, exam::TextEncoding::utf16);
    const auto rows = exam::parse_roster(text.utf8, "staff.txt", site_with_exam());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].name, "Иванов Пётр");
    EXPECT_EQ(rows[0].role, "commission");
}

TEST(Roster, AFileInNoKnownEncodingSaysHowToConvertIt) {
    try {
        (void)exam::decode_roster(exam::testing::encode_text("ФИО;Роль\r\n", "UTF-16LE"),
                                  "staff.csv");
        FAIL() << "accepted UTF-16 without its byte order mark";
    } catch (const exam::InputError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("\"staff.csv\" is not text in UTF-8, UTF-16 or Windows-1251"),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("CSV UTF-8"), std::string::npos) << message;
        EXPECT_NE(message.find("iconv -f"), std::string::npos) << message;
    }
}

namespace {

class RosterJournal : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        site = exam::parse_site(
            "ppe_code = \"0042\"\nregion = \"01\"\nname = \"x\"\ntimezone = \"Europe/Moscow\"\n",
            temp / "site.toml");
        (void)exam::Journal::initialize(site);
    }

    exam::Site site = site_with_exam();
};

}  // namespace

TEST_F(RosterJournal, ImportOfWindows1251SaysSoAndHashesTheBytesOnDisk) {
    const std::string bytes = exam::testing::encode_text(
        "ФИО;Роль;Документ\r\nИванов Пётр;член ГЭК;45 06 123456\r\n", "CP1251");
    const auto file = temp.write("staff.csv", bytes);
    exam::Journal journal = exam::Journal::open(site);
    const exam::RosterImport imported = exam::import_roster(journal, site, file, "Tester");
    EXPECT_EQ(imported.people, 1u);
    EXPECT_EQ(imported.encoding, exam::TextEncoding::windows_1251);
    ASSERT_EQ(imported.notes.size(), 1u);
    EXPECT_NE(imported.notes[0].find("read as Windows-1251"), std::string::npos);

    const exam::RosterListing roster = exam::read_roster(journal);
    ASSERT_EQ(roster.people.size(), 1u);
    EXPECT_EQ(roster.people[0].name, "Иванов Пётр");
    EXPECT_EQ(roster.people[0].role, "commission");
    EXPECT_EQ(roster.people[0].doc_tail, "3456");
    ASSERT_TRUE(roster.last_import.has_value());
    // The entry does not depend on the encoding: it names the file and its bytes' hash.
    const std::string note = roster.last_import->note.value_or("");
    EXPECT_NE(note.find("staff.csv"), std::string::npos) << note;
    EXPECT_NE(note.find("sha256 " + exam::to_hex(exam::sha256(bytes))), std::string::npos) << note;
}

TEST_F(RosterJournal, ListingShowsTheLastFourCharactersNeverTheNumber) {
    const auto file =
        temp.write("staff.csv", "name,role,document,exam\nИванов Пётр,technician,4506123456,\n");
    exam::Journal journal = exam::Journal::open(site);
    (void)exam::import_roster(journal, site, file, "Tester");
    const exam::RosterListing roster = exam::read_roster(journal);

    std::ostringstream text;
    exam::write_roster_text(text, roster, *exam::TimeZone::find("UTC"), exam::Palette{false});
    EXPECT_NE(text.str().find("1 person on the staff list, imported "), std::string::npos)
        << text.str();
    EXPECT_NE(text.str().find(" UTC by Tester (entry "), std::string::npos) << text.str();
    EXPECT_NE(text.str().find("Иванов Пётр"), std::string::npos);
    EXPECT_NE(text.str().find("…3456"), std::string::npos);
    EXPECT_EQ(text.str().find("123456"), std::string::npos);

    std::ostringstream json;
    exam::write_roster_json(json, roster);
    const auto parsed = nlohmann::json::parse(json.str());
    EXPECT_EQ(parsed["count"], 1);
    EXPECT_EQ(parsed["people"][0]["doc_tail"], "3456");
    EXPECT_EQ(parsed["people"][0]["role"], "technician");
    EXPECT_FALSE(parsed["people"][0].contains("exam"));
    EXPECT_EQ(parsed["imported"]["actor"], "Tester");
    EXPECT_EQ(json.str().find("123456"), std::string::npos);
}

TEST_F(RosterJournal, AnEmptyListSaysHowToImportOne) {
    exam::Journal journal = exam::Journal::open(site);
    const exam::RosterListing roster = exam::read_roster(journal);
    EXPECT_TRUE(roster.people.empty());
    EXPECT_FALSE(roster.last_import.has_value());
    std::ostringstream text;
    exam::write_roster_text(text, roster, *exam::TimeZone::find("UTC"), exam::Palette{false});
    EXPECT_NE(text.str().find("exam-journal roster import FILE"), std::string::npos);
}

// Issue 11: a quote inside an unquoted value is an ordinary character, as spreadsheets read it;
// it never makes a value swallow the line break and the rows after it.
TEST(Roster, AStrayQuoteIsKeptAndNeverMergesTwoRows) {
    const auto rows = exam::parse_roster(
        "name;role;document\nIvan \"Terrible;head;1111 2222;\nPetrov\" Pavel;technician;3333 "
        "4444;\n",
        "staff.csv", site_with_exam());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].name, "Ivan \"Terrible");
    EXPECT_EQ(rows[0].role, "head");
    EXPECT_EQ(rows[1].name, "Petrov\" Pavel");
    EXPECT_EQ(rows[1].line, 3);
}

TEST(Roster, QuoteProblemsNameTheirLineAndColumn) {
    expect_bad_row("name;role;document\n\"Ivan\" Petrov;head;1111 2222\n", "staff.csv:2:8:");
    expect_bad_row("name;role;document\nA B;head;1111\nC D;head;\"2222\n3333\n",
                   "staff.csv:3:10: a quoted value is never closed");
}

TEST(Roster, OneDocumentNumberForTwoPeopleIsRefused) {
    expect_bad_row(
        "name;role;document\nIvan Petrov;head;4506 123456\nAnna Smirnova;technician;"
        "4506-123456\n",
        "staff.csv:3: the document number …3456 of Anna Smirnova is also that of Ivan "
        "Petrov on line 2");
    // The same person twice (for two exams, say) is not two people.
    EXPECT_EQ(exam::parse_roster("name;role;document\nIvan Petrov;head;4506 123456\nivan  petrov;"
                                 "head;4506123456\n",
                                 "staff.csv", site_with_exam())
                  .size(),
              2u);
}

TEST(Roster, ControlCharactersAndBidiOverridesInANameAreRefusedWithTheLine) {
    expect_bad_row(std::string{"name;role;document\nIvan\0Petrov;head;1111 2222\n", 46},
                   "staff.csv:2:");
    expect_bad_row("name;role;document\nIvan\x1b[2JPetrov;head;1111 2222\n", "Ivan\\e[2JPetrov");
    expect_bad_row("name;role;document\nIvan \xe2\x80\xaePetrov;head;1111 2222\n", "\\u202e");
    expect_bad_row("name;role;document\nIvan\x07Petrov;head;1111 2222\n", "Ivan\\x07Petrov");
}

TEST(Roster, OverlongNamesAndDocumentNumbersAreRefused) {
    expect_bad_row("name;role;document\n" + std::string(201, 'a') + ";head;1111 2222\n",
                   "more than the 200");
    EXPECT_EQ(
        exam::parse_roster("name;role;document\n" + std::string(200, 'a') + ";head;1111 2222\n",
                           "staff.csv", site_with_exam())
            .size(),
        1u);
    expect_bad_row("name;role;document\nIvan Petrov;head;" + std::string(31, '7') + "\n",
                   "more than the 30");
}
