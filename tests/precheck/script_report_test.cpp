#include <gtest/gtest.h>

#include <exam/precheck/script_report.hpp>

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(ScriptReport, ALastLineThatIsNoObjectLeavesTheVerdictToTheExitCode) {
    EXPECT_FALSE(exam::read_script_report("").has_value());
    EXPECT_FALSE(exam::read_script_report("all good\n").has_value());
    EXPECT_FALSE(exam::read_script_report("{\"status\": \"fail\"}\nand then a last word\n"));
}

TEST(ScriptReport, ReadsTheObjectOnTheLastLine) {
    const auto report = exam::read_script_report(
        "looking\n{\"status\": \"warn\", \"message\": \"toner low\", \"expected\": \"25% or "
        "more\", \"observed\": {\"value\": 12, \"unit\": \"%\"}}\n");
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->status, exam::CheckStatus::warn);
    EXPECT_EQ(report->message, "toner low");
    EXPECT_EQ(report->expected, "25% or more");
    EXPECT_EQ(std::get<double>(report->observed.value), 12.0);
    EXPECT_EQ(report->observed.unit, "%");
}

// A byte order mark, spaces, tabs, CR LF and blank lines after it are how editors and other
// systems' tools write a line: the report is still the report.
TEST(ScriptReport, ToleratesWhitespaceCrLfAndAByteOrderMark) {
    for (const std::string output :
         {"{\"status\":\"fail\"}", "{\"status\":\"fail\"}\r\n", " {\"status\":\"fail\"}\n",
          "\t{\"status\":\"fail\"}  \n\n\n", "\xEF\xBB\xBF{\"status\":\"fail\"}\n",
          "x\r\n \xEF\xBB\xBF {\"status\":\"fail\"} \r\n"}) {
        SCOPED_TRACE(output);
        const auto report = exam::read_script_report(output);
        ASSERT_TRUE(report.has_value());
        EXPECT_EQ(report->status, exam::CheckStatus::fail) << report->message;
    }
}

// Before, each of these fell back to the exit code (0): a failing script passed.
TEST(ScriptReport, ALineThatBeginsWithABraceAndDoesNotParseCouldNotBeChecked) {
    for (const std::string output :
         {"{\"status\":\"fail\"} trailing text\n", "{\"status\":\"fail\"}{\"status\":\"pass\"}\n",
          "{\"status\":\"fail\"\n", "{status: fail}\n", "{\"status\": 2}\n", "{}\n",
          "{\"message\": \"no status\"}\n"}) {
        SCOPED_TRACE(output);
        const auto report = exam::read_script_report(output);
        ASSERT_TRUE(report.has_value());
        EXPECT_EQ(report->status, exam::CheckStatus::error);
        EXPECT_TRUE(contains(report->message, "pass, warn, fail, error or skip") ||
                    contains(report->message, "not one JSON object"))
            << report->message;
    }
}

// Only a waivers file waives, with an approver the protocol shows.
TEST(ScriptReport, AScriptCannotWaiveItself) {
    const auto report = exam::read_script_report("{\"status\": \"waived\"}\n");
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->status, exam::CheckStatus::error);
    EXPECT_TRUE(contains(report->message, "\"waived\"")) << report->message;
    EXPECT_TRUE(contains(report->message, "only a waivers file waives")) << report->message;
    EXPECT_TRUE(contains(report->message, "pass, warn, fail, error or skip")) << report->message;
}

TEST(ScriptReport, AnUnknownStatusSaysWhatWasSaidAndWhatIsAllowed) {
    const auto report = exam::read_script_report("{\"status\": \"okay\"}");
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->status, exam::CheckStatus::error);
    EXPECT_TRUE(contains(report->message, "\"okay\"")) << report->message;
    EXPECT_TRUE(contains(report->message, "pass, warn, fail, error or skip")) << report->message;
}

// What a script wrote is quoted safely and briefly, whatever it wrote.
TEST(ScriptReport, QuotesADamagedLineSafelyAndBriefly) {
    const std::string line = "{\"status\": \"fail\x1b[2J\"" + std::string(100000, ' ') + "x\n";
    const auto report = exam::read_script_report(line);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->status, exam::CheckStatus::error);
    EXPECT_FALSE(contains(report->message, "\x1b")) << report->message;
    EXPECT_LT(report->message.size(), 1000u);
}
