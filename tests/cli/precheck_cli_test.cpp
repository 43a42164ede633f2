// exam-precheck's own commands, driven as the technical specialist would.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::run_tool;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class PrecheckCli : public exam::testing::TempDirTest {
protected:
    std::string example() const { return exam::testing::example_site_file().string(); }
};

}  // namespace

TEST_F(PrecheckCli, MisspelledCameraKeyPointsAtItWithASuggestion) {
    temp.write("bad.toml", R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"

[[room]]
id = "0101"

  [[room.camera]]
  id = "0101-front"
  uri = "rtsp://192.168.10.21/stream1"
  lable = "front"
)");
    const auto result = run_tool(EXAM_PRECHECK_BIN, {.args = {"--site", "bad.toml", "schedule"},
                                                     .working_directory = temp.path()});
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error,
                         "exam-precheck: error: bad.toml:12:3: unknown key \"lable\" in "
                         "[[room.camera]]; did you mean \"label\"?"))
        << result.standard_error;
    EXPECT_TRUE(result.standard_output.empty());
}

TEST_F(PrecheckCli, ScheduleShowsTheSitesExamsInItsTimezone) {
    const auto result =
        run_tool(EXAM_PRECHECK_BIN,
                 {.args = {"--site", example(), "schedule", "--at", "2026-06-01T05:00:00Z"}});
    EXPECT_EQ(result.exit_code, 0) << result.standard_error;
    EXPECT_TRUE(contains(result.standard_output, "Now 2026-06-01 08:00 (+03:00)"))
        << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "2026-06-04-russian")) << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "next, checks due now")) << result.standard_output;
}

TEST_F(PrecheckCli, ScheduleJsonIsData) {
    const auto result =
        run_tool(EXAM_PRECHECK_BIN,
                 {.args = {"--site", example(), "schedule", "--json", "--at", "2026-06-03 12:00"}});
    ASSERT_EQ(result.exit_code, 0) << result.standard_error;
    const auto json = nlohmann::json::parse(result.standard_output);
    EXPECT_EQ(json["now"], "2026-06-03T09:00:00.000Z");
    EXPECT_EQ(json["next"], "2026-06-04-russian");
    EXPECT_EQ(json["exams"].size(), 2u);
}

TEST_F(PrecheckCli, ScheduleReadsTheSiteFromTheEnvironment) {
    const auto result = run_tool(EXAM_PRECHECK_BIN, {.args = {"schedule", "--json"},
                                                     .working_directory = temp.path(),
                                                     .environment = {{"EXAM_SITE", example()}}});
    ASSERT_EQ(result.exit_code, 0) << result.standard_error;
    EXPECT_TRUE(contains(result.standard_output, "\"ppe_code\": \"0001\""));
}

TEST_F(PrecheckCli, BadAtTimeIsBadInput) {
    const auto result = run_tool(EXAM_PRECHECK_BIN,
                                 {.args = {"--site", example(), "schedule", "--at", "tomorrow"}});
    EXPECT_EQ(result.exit_code, 65);
    EXPECT_TRUE(contains(result.standard_error, "cannot read \"tomorrow\" as a time"))
        << result.standard_error;
}
