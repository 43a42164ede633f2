// The staff list as an exam point gets it: saved by a Russian Excel (Windows-1251, CR LF, ';'
// and quotes, Russian role titles), imported and shown with exam-journal.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <exam/util/sha256.hpp>

#include "cli/journal_fixture.hpp"
#include "support/encode_text.hpp"

namespace {

using exam::testing::contains;
using exam::testing::encode_text;

const std::string k_excel_list =
    "ФИО;Должность;Номер документа\r\n"
    "Иванов Пётр Сергеевич;Технический специалист;45 06 123456\r\n"
    "Ёлкина Алёна;член ГЭК;4507 654321\r\n";

class JournalRosterCli : public exam::testing::JournalSiteTest {
protected:
    nlohmann::json roster_json() const {
        const auto list = journal({"roster", "list", "--json"});
        EXPECT_EQ(list.exit_code, 0) << list.standard_error;
        return nlohmann::json::parse(list.standard_output);
    }
};

}  // namespace

TEST_F(JournalRosterCli, AWindows1251ListWithCrLfIsReadAfterANote) {
    temp.write("staff.csv", encode_text(k_excel_list, "CP1251"));
    const auto import = journal({"roster", "import", "staff.csv"});
    ASSERT_EQ(import.exit_code, 0) << import.standard_error;
    EXPECT_TRUE(contains(import.standard_error,
                         "note: staff.csv is not UTF-8: it was read as "
                         "Windows-1251"))
        << import.standard_error;
    EXPECT_TRUE(contains(import.standard_output, "imported 2 people")) << import.standard_output;

    const auto roster = roster_json();
    ASSERT_EQ(roster["count"], 2);
    EXPECT_EQ(roster["people"][0]["name"], "Иванов Пётр Сергеевич");
    EXPECT_EQ(roster["people"][0]["role"], "technician");
    EXPECT_EQ(roster["people"][1]["name"], "Ёлкина Алёна");
    EXPECT_EQ(roster["people"][1]["role"], "commission");
    // The names decoded right: the person is admitted by the name typed in UTF-8.
    const auto enter =
        journal({"enter", "--name", "ёлкина алёна", "--role", "commission"}, "4507654321\n");
    EXPECT_EQ(enter.exit_code, 0) << enter.standard_output << enter.standard_error;
}

TEST_F(JournalRosterCli, TheImportEntryHoldsTheHashOfTheBytesOnDiskNotOfTheirDecoding) {
    const std::string bytes = encode_text(k_excel_list, "CP1251");
    temp.write("staff.csv", bytes);
    ASSERT_EQ(journal({"roster", "import", "staff.csv"}).exit_code, 0);
    const auto list = nlohmann::json::parse(
        journal({"list", "--json", "--kind", "roster-import"}).standard_output);
    ASSERT_EQ(list["entries"].size(), 1u);
    const std::string note = list["entries"][0]["note"];
    EXPECT_TRUE(contains(note, "sha256 " + exam::to_hex(exam::sha256(bytes)))) << note;
    EXPECT_FALSE(contains(note, "1251")) << note;
}

TEST_F(JournalRosterCli, AnExcelCsvWithBomQuotesAndRussianRoleTitlesIsRead) {
    temp.write("staff.csv",
               "\xEF\xBB\xBF\"ФИО\";\"Роль\";\"Документ\"\r\n"
               "\"Смирнова; Анна\";\"Организатор  в аудитории\";\"4508 111222\"\r\n"
               "\"Ким \"\"Юн\"\"\";РУКОВОДИТЕЛЬ ППЭ;4509 333444\r\n"
               "Орлов Ян;сотрудник полиции;4510 555666\r\n");
    const auto import = journal({"roster", "import", "staff.csv"});
    ASSERT_EQ(import.exit_code, 0) << import.standard_error;
    EXPECT_FALSE(contains(import.standard_error, "note:")) << import.standard_error;
    const auto roster = roster_json();
    ASSERT_EQ(roster["count"], 3);
    EXPECT_EQ(roster["people"][0]["name"], "Смирнова; Анна");
    EXPECT_EQ(roster["people"][0]["role"], "organizer-room");
    EXPECT_EQ(roster["people"][1]["name"], "Ким \"Юн\"");
    EXPECT_EQ(roster["people"][1]["role"], "head");
    EXPECT_EQ(roster["people"][2]["role"], "police");
}

TEST_F(JournalRosterCli, ExcelUnicodeTextInUtf16WithTabsIsRead) {
    temp.write("staff.txt", "\xFF\xFE" + encode_text("ФИО\tРоль\tДокумент\r\n"
                                                     "Иванов Пётр\tэксперт\t4506 123456\r\n",
                                                     "UTF-16LE"));
    const auto import = journal({"roster", "import", "staff.txt"});
    ASSERT_EQ(import.exit_code, 0) << import.standard_error;
    EXPECT_TRUE(contains(import.standard_error, "UTF-16")) << import.standard_error;
    const auto roster = roster_json();
    EXPECT_EQ(roster["people"][0]["name"], "Иванов Пётр");
    EXPECT_EQ(roster["people"][0]["role"], "expert");
}

TEST_F(JournalRosterCli, AFileInNoKnownEncodingIsRefusedWithHowToConvertIt) {
    temp.write("staff.csv", encode_text(k_excel_list, "UTF-16LE"));  // no byte order mark
    const auto import = journal({"roster", "import", "staff.csv"});
    EXPECT_EQ(import.exit_code, 65);
    EXPECT_TRUE(contains(import.standard_error, "is not text in UTF-8, UTF-16 or Windows-1251"))
        << import.standard_error;
    EXPECT_TRUE(contains(import.standard_error, "\"CSV UTF-8\"")) << import.standard_error;
    EXPECT_TRUE(contains(import.standard_error, "iconv -f ENCODING -t UTF-8"))
        << import.standard_error;
    EXPECT_EQ(roster_json()["count"], 0);
}

TEST_F(JournalRosterCli, RosterListShowsWhoIsOnItButNeverAWholeDocumentNumber) {
    temp.write("staff.csv", "\xEF\xBB\xBF" + k_excel_list);
    ASSERT_EQ(journal({"roster", "import", "staff.csv"}).exit_code, 0);
    const auto list = journal({"--no-color", "roster", "list"});
    ASSERT_EQ(list.exit_code, 0) << list.standard_error;
    EXPECT_TRUE(contains(list.standard_output, "2 people on the staff list, imported "))
        << list.standard_output;
    EXPECT_TRUE(contains(list.standard_output, "by Tester")) << list.standard_output;
    EXPECT_TRUE(contains(list.standard_output, "Иванов Пётр Сергеевич")) << list.standard_output;
    EXPECT_TRUE(contains(list.standard_output, "technician")) << list.standard_output;
    EXPECT_TRUE(contains(list.standard_output, "…3456")) << list.standard_output;
    EXPECT_TRUE(contains(list.standard_output, "…4321")) << list.standard_output;
    for (const char* full : {"123456", "654321"}) {
        EXPECT_FALSE(contains(list.standard_output, full)) << list.standard_output;
    }
    const auto json = roster_json();
    EXPECT_EQ(json["people"][0]["doc_tail"], "3456");
    EXPECT_FALSE(contains(json.dump(), "123456"));

    // An auditor's copy lists it too, with the import's time in UTC, labelled.
    const auto audited = auditor({"--no-color", "roster", "list"});
    EXPECT_EQ(audited.exit_code, 0) << audited.standard_error;
    EXPECT_TRUE(contains(audited.standard_output, " UTC by Tester")) << audited.standard_output;
}

TEST_F(JournalRosterCli, AnEmptyListSaysHowToFillIt) {
    const auto list = journal({"roster", "list"});
    EXPECT_EQ(list.exit_code, 0);
    EXPECT_TRUE(contains(list.standard_output, "exam-journal roster import FILE"))
        << list.standard_output;
    const auto bare = journal({"roster"});
    EXPECT_EQ(bare.exit_code, 64);
    EXPECT_TRUE(contains(bare.standard_error, "'exam-journal roster list'")) << bare.standard_error;
}

TEST_F(JournalRosterCli, EnterTakesARoleTitleAndRecordsTheRoleId) {
    temp.write("staff.csv", k_excel_list);
    ASSERT_EQ(journal({"roster", "import", "staff.csv"}).exit_code, 0);
    const auto enter =
        journal({"enter", "--name", "Ёлкина Алёна", "--role", "  Член  ГЭК "}, "4507 654321\n");
    ASSERT_EQ(enter.exit_code, 0) << enter.standard_output << enter.standard_error;
    EXPECT_TRUE(contains(enter.standard_output, "ADMITTED: Ёлкина Алёна (commission)"))
        << enter.standard_output;
    const auto list = nlohmann::json::parse(
        journal({"list", "--json", "--kind", "enter", "--role", "член гэк"}).standard_output);
    ASSERT_EQ(list["entries"].size(), 1u);
    EXPECT_EQ(list["entries"][0]["role"], "commission");
    const auto unknown =
        journal({"enter", "--name", "Ёлкина Алёна", "--role", "организатор"}, "4507 654321\n");
    EXPECT_EQ(unknown.exit_code, 64);
}
