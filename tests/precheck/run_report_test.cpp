#include <gtest/gtest.h>

#include <exam/precheck/run_report.hpp>

namespace {

exam::CheckResult result_of(exam::CheckStatus status) {
    exam::CheckResult result;
    result.status = status;
    return result;
}

}  // namespace

TEST(RunReport, TheJournalNoteCountsEveryOutcomeAndGivesTheExitCode) {
    const std::vector<exam::CheckResult> results{
        result_of(exam::CheckStatus::pass),  result_of(exam::CheckStatus::pass),
        result_of(exam::CheckStatus::warn),  result_of(exam::CheckStatus::fail),
        result_of(exam::CheckStatus::error), result_of(exam::CheckStatus::skip),
        result_of(exam::CheckStatus::waived)};
    exam::RunInfo info;
    info.station = "room-0101";
    EXPECT_EQ(exam::run_journal_note(info, results),
              "pre-check of room-0101: 7 checks: 2 pass, 1 warn, 1 fail, 1 could not be checked, "
              "1 skipped, 1 waived; exit code 2");
}

TEST(RunReport, TheSummaryForPeopleHasTheSameCounts) {
    const std::vector<exam::CheckResult> results{result_of(exam::CheckStatus::pass),
                                                 result_of(exam::CheckStatus::error)};
    EXPECT_EQ(exam::run_summary(results),
              "2 checks: 1 pass, 0 warn, 0 fail, 1 could not be checked, 0 skipped, 0 waived");
}
