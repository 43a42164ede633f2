#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <exam/precheck/waivers.hpp>
#include <exam/util/error.hpp>

#include "support/temp_dir.hpp"

namespace {

std::string waiver_for(const std::string& id) {
    return "[[waiver]]\nid = \"" + id +
           "\"\njustification = \"The spare arrives tomorrow\"\napproved_by = \"Head\"\n"
           "expires = \"2099-12-31\"\n";
}

// The suite's checks as they run on a site with two cameras.
std::vector<exam::CheckSpec> checks_as_run() {
    std::vector<exam::CheckSpec> checks(3);
    checks[0].id = "printer";
    checks[1].id = "cameras:0101-front";
    checks[2].id = "cameras:0101-back";
    return checks;
}

std::vector<exam::Waiver> parse(const std::string& text) {
    return exam::parse_waivers(text, "waivers.toml", *exam::TimeZone::find("Europe/Moscow"),
                               checks_as_run());
}

void expect_refused_at(const std::string& text, int line, int column, const std::string& fragment) {
    SCOPED_TRACE(text);
    try {
        (void)parse(text);
        ADD_FAILURE() << "the waivers were accepted";
    } catch (const exam::ConfigError& e) {
        EXPECT_EQ(e.line(), line) << e.what();
        EXPECT_EQ(e.column(), column) << e.what();
        EXPECT_NE(std::string{e.what()}.find(fragment), std::string::npos) << e.what();
    }
}

}  // namespace

TEST(Waivers, ReadsAWaiverForACheckOfTheSuite) {
    const auto waivers = parse(waiver_for("printer") + waiver_for("cameras:0101-back"));
    ASSERT_EQ(waivers.size(), 2u);
    EXPECT_EQ(waivers[0].check_id, "printer");
    EXPECT_EQ(waivers[1].check_id, "cameras:0101-back");
}

TEST(Waivers, AWaiverForAMisspeltCheckIsRefusedAtItsLineWithADidYouMean) {
    expect_refused_at(waiver_for("printer") + "\n" + waiver_for("priner"), 8, 1,
                      "waivers.toml:8:1: the suite has no check \"priner\", so this waiver "
                      "would waive nothing; did you mean \"printer\"?");
}

TEST(Waivers, AWaiverForAnUnknownCheckListsTheChecks) {
    expect_refused_at(waiver_for("storage"), 2, 1,
                      "; its checks are: printer, cameras:0101-front, cameras:0101-back");
}

TEST(Waivers, AWaiverForAWholeCameraCheckAsksForOneCamera) {
    expect_refused_at(waiver_for("cameras"), 2, 1,
                      "check \"cameras\" runs once per camera, and a waiver names one of them, "
                      "such as \"cameras:0101-front\"");
}

TEST(Waivers, AnUnreadableWaiversFileIsAConfigErrorSayingWhy) {
    exam::testing::TempDir temp;
    try {
        (void)exam::load_waivers(temp / "waivers.toml", *exam::TimeZone::find("UTC"),
                                 checks_as_run());
        ADD_FAILURE() << "a missing waivers file was read";
    } catch (const exam::ConfigError& e) {
        EXPECT_NE(std::string{e.what()}.find("cannot read the waivers file"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string{e.what()}.find("No such file or directory"), std::string::npos)
            << e.what();
    }
}

// The approval is what the protocol's signatories rely on: someone, printed as written.
TEST(Waivers, AnEmptyOrUnprintableApproverIsRefusedAtItsLine) {
    const auto with_approver = [](const std::string& approver) {
        return "[[waiver]]\nid = \"printer\"\njustification = \"x\"\napproved_by = \"" + approver +
               "\"\nexpires = \"2099-12-31\"\n";
    };
    expect_refused_at(with_approver(""), 4, 15, "\"approved_by\" in [[waiver]] must not be empty");
    expect_refused_at(with_approver("   "), 4, 1, "\"approved_by\" is empty");
    for (const char* approver :
         {"Head\\u001b[2J", "Head\\nof the point", "Head\\u202e", "Head\\u0007"}) {
        expect_refused_at(with_approver(approver), 4, 1, "\"approved_by\" has control characters");
    }
    EXPECT_EQ(parse(with_approver("Иванова А. П., руководитель ППЭ"))[0].approved_by,
              "Иванова А. П., руководитель ППЭ");
}
