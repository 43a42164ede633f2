// What every examkit tool does the same way: help, version, usage errors, the site file.
#include <string>

#include <gtest/gtest.h>

#include <exam/version.hpp>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::run_tool;

struct ToolUnderTest {
    const char* name;
    const char* binary;
};

// Names the parameter in test output instead of dumping its bytes.
void PrintTo(const ToolUnderTest& tool, std::ostream* out) {
    *out << tool.name;
}

class EveryTool : public ::testing::TestWithParam<ToolUnderTest> {
protected:
    exam::testing::TempDir temp;
    std::string binary() const { return GetParam().binary; }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_P(EveryTool, HelpExplainsCommandsAndExitCodes) {
    const auto result = run_tool(binary(), {.args = {"--help"}});
    EXPECT_EQ(result.exit_code, 0) << result.standard_error;
    EXPECT_TRUE(contains(result.standard_output, "Usage:")) << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "--site FILE")) << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "site ")) << result.standard_output;
    EXPECT_TRUE(contains(result.standard_output, "78   configuration error"))
        << result.standard_output;
}

TEST_P(EveryTool, VersionNamesToolAndRelease) {
    const auto result = run_tool(binary(), {.args = {"--version"}});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.standard_output,
              std::string{GetParam().name} + " (examkit) " EXAM_VERSION "\n");
}

TEST_P(EveryTool, UnknownFlagIsAUsageError) {
    const auto result = run_tool(binary(), {.args = {"site", "--frobnicate"}});
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_TRUE(contains(result.standard_error, "--frobnicate")) << result.standard_error;
    EXPECT_TRUE(contains(result.standard_error, "--help")) << result.standard_error;
    EXPECT_TRUE(result.standard_output.empty());
}

TEST_P(EveryTool, UnknownCommandIsAUsageErrorNamingIt) {
    const auto result = run_tool(binary(), {.args = {"frobnicate"}});
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_TRUE(contains(result.standard_error, "frobnicate")) << result.standard_error;
}

TEST_P(EveryTool, AMisspeltOptionSuggestsTheRightOne) {
    const auto result = run_tool(binary(), {.args = {"site", "--jsno"}});
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_TRUE(contains(result.standard_error,
                         std::string{GetParam().name} + ": error: unknown option \"--jsno\" for " +
                             GetParam().name + " site; did you mean \"--json\"?"))
        << result.standard_error;
    EXPECT_TRUE(contains(result.standard_error, "--help")) << result.standard_error;
}

TEST_P(EveryTool, AMisspeltCommandSuggestsTheRightOne) {
    const auto result = run_tool(binary(), {.args = {"stie"}});
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_TRUE(contains(result.standard_error, "unknown command \"stie\" for " +
                                                    std::string{GetParam().name} +
                                                    "; did you mean \"site\"?"))
        << result.standard_error;
}

TEST_P(EveryTool, AMisspeltRequiredKeyOfTheSiteFileIsShownAtTheTypo) {
    temp.write("site.toml",
               "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
               "timezon = \"Europe/Moscow\"\n");
    const auto result = run_tool(binary(), {.args = {"site"}, .working_directory = temp.path()});
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error,
                         "site.toml:4:1: the site file is missing the required key \"timezone\"; "
                         "is \"timezon\" here a misspelling of \"timezone\"?"))
        << result.standard_error;
}

TEST_P(EveryTool, AMisspeltRoomKindSuggestsTheRightOne) {
    temp.write("site.toml",
               "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
               "timezone = \"Europe/Moscow\"\n[[room]]\nid = \"door\"\n"
               "kind = \"enterance\"\n");
    const auto result = run_tool(binary(), {.args = {"site"}, .working_directory = temp.path()});
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error,
                         "site.toml:7:8: \"kind\" in [[room]] must be one of exam, hq, entrance; "
                         "found \"enterance\"; did you mean \"entrance\"?"))
        << result.standard_error;
}

TEST_P(EveryTool, NoCommandIsAUsageError) {
    const auto result = run_tool(binary(), {});
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_TRUE(contains(result.standard_error, std::string{GetParam().name} + ": error:"))
        << result.standard_error;
    EXPECT_TRUE(contains(result.standard_error, "the commands are: site")) << result.standard_error;
}

TEST_P(EveryTool, MissingSiteFileGivenBySiteFlag) {
    const auto result = run_tool(
        binary(), {.args = {"--site", "absent.toml", "site"}, .working_directory = temp.path()});
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error, "\"absent.toml\" given by --site does not exist"))
        << result.standard_error;
}

TEST_P(EveryTool, MissingSiteFileGivenByEnvironment) {
    const auto result =
        run_tool(binary(), {.args = {"site"},
                            .working_directory = temp.path(),
                            .environment = {{"EXAM_SITE", "/nonexistent/site.toml"}}});
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error, "given by EXAM_SITE")) << result.standard_error;
}

TEST_P(EveryTool, NoSiteFileAnywhereSaysWhatToDo) {
    const auto result = run_tool(binary(), {.args = {"site"}, .working_directory = temp.path()});
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error, "no site file found")) << result.standard_error;
    EXPECT_TRUE(contains(result.standard_error, "pass --site FILE")) << result.standard_error;
}

TEST_P(EveryTool, FindsSiteTomlInTheWorkingDirectory) {
    std::filesystem::copy_file(exam::testing::example_site_file(), temp / "site.toml");
    const auto result = run_tool(binary(), {.args = {"site"}, .working_directory = temp.path()});
    EXPECT_EQ(result.exit_code, 0) << result.standard_error;
    EXPECT_TRUE(contains(result.standard_output, "Exam point 0001 (region 77)"));
}

TEST_P(EveryTool, SiteOptionWorksAfterTheCommandToo) {
    const auto result = run_tool(binary(), {.args = {"site", "--json", "--site",
                                                     exam::testing::example_site_file().string()}});
    EXPECT_EQ(result.exit_code, 0) << result.standard_error;
    EXPECT_TRUE(contains(result.standard_output, "\"ppe_code\": \"0001\""))
        << result.standard_output;
}

TEST_P(EveryTool, PipedOutputHasNoColourCodes) {
    const auto result = run_tool(
        binary(), {.args = {"--site", exam::testing::example_site_file().string(), "site"}});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_FALSE(contains(result.standard_output, "\x1b["));
}

INSTANTIATE_TEST_SUITE_P(Tools, EveryTool,
                         ::testing::Values(ToolUnderTest{"exam-precheck", EXAM_PRECHECK_BIN},
                                           ToolUnderTest{"exam-camera", EXAM_CAMERA_BIN},
                                           ToolUnderTest{"exam-journal", EXAM_JOURNAL_BIN}),
                         [](const auto& param_info) {
                             std::string name = param_info.param.name;
                             name.erase(0, name.find('-') + 1);
                             return name;
                         });

TEST(ToolStartUp, NoToolLoadsTheDeviceLibrariesUntilACheckNeedsThem) {
    // OpenCV's video I/O alone brings ~240 shared libraries: a desk admission must not wait
    // for them. They come with libexam-devices, loaded only by camera and printer checks.
    for (const char* tool : {EXAM_PRECHECK_BIN, EXAM_CAMERA_BIN, EXAM_JOURNAL_BIN}) {
        exam::SubprocessRequest request;
        request.argv = {"ldd", tool};
        request.timeout = std::chrono::seconds{30};
        const auto linked = exam::run_subprocess(request);
        ASSERT_EQ(linked.exit_code, 0) << linked.standard_error;
        EXPECT_EQ(linked.standard_output.find("opencv"), std::string::npos) << tool;
        EXPECT_EQ(linked.standard_output.find("libcups"), std::string::npos) << tool;
        EXPECT_NE(linked.standard_output.find("libexam.so"), std::string::npos) << tool;
    }
}
