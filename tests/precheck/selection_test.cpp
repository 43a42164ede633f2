#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <exam/precheck/selection.hpp>
#include <exam/util/error.hpp>

namespace {

// A suite as it runs on a site with two cameras: "cameras" became one check per camera.
struct SuiteOnASite {
    exam::Suite suite;
    std::vector<exam::CheckSpec> checks;

    SuiteOnASite() {
        suite.file = "suite.toml";
        suite.checks.resize(2);
        suite.checks[0].id = "printer";
        suite.checks[0].tags = {"hq"};
        suite.checks[1].id = "cameras";
        suite.checks[1].tags = {"video"};
        checks = {suite.checks[0], suite.checks[1], suite.checks[1]};
        checks[1].id = "cameras:0101-front";
        checks[2].id = "cameras:0101-back";
    }
};

std::string usage_error_of(const std::vector<std::string>& only,
                           const std::vector<std::string>& tags) {
    const SuiteOnASite on_site;
    try {
        exam::check_selection(only, tags, on_site.suite, on_site.checks);
    } catch (const exam::UsageError& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST(Selection, TakesACheckOneCameraOfItOrATagItHas) {
    EXPECT_EQ(usage_error_of({"printer", "cameras", "cameras:0101-back"}, {"hq", "video"}),
              "accepted");
}

TEST(Selection, AMisspeltOnlySuggestsTheRightId) {
    EXPECT_EQ(usage_error_of({"priner"}, {}),
              "--only priner: no check with that id in suite.toml; did you mean \"printer\"?");
    EXPECT_EQ(usage_error_of({"cameras:0101-frnot"}, {}),
              "--only cameras:0101-frnot: no check with that id in suite.toml; did you mean "
              "\"cameras:0101-front\"?");
}

TEST(Selection, AnOnlyWithNothingCloseSaysWhereTheIdsAreListed) {
    EXPECT_EQ(usage_error_of({"storage"}, {}),
              "--only storage: no check with that id in suite.toml; 'exam-precheck list --suite "
              "suite.toml' shows its checks");
}

TEST(Selection, AMisspeltTagSuggestsTheRightOneOrListsThem) {
    EXPECT_EQ(usage_error_of({}, {"vidoe"}),
              "--tag vidoe: no check in suite.toml has that tag; did you mean \"video\"?");
    EXPECT_EQ(usage_error_of({}, {"network"}),
              "--tag network: no check in suite.toml has that tag; the tags are: hq, video");
}
