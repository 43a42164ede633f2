// The site file's [service] table (core/site_loader.cpp): its defaults, its values and how a
// mistake in it is shown. Apart from site_loader_test.cpp, which is near its size limit.
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include <exam/core/site_loader.hpp>
#include <exam/util/error.hpp>

#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string k_header = R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"
[service]
)";

// The [service] table's body starts on line 6.
exam::Site with_service(const std::string& body, const fs::path& file = "/srv/exam/site.toml") {
    return exam::parse_site(k_header + body, file);
}

void expect_error_at(const std::string& body, int line, int column, const std::string& fragment) {
    SCOPED_TRACE(body);
    try {
        (void)with_service(body, "site.toml");
        ADD_FAILURE() << "the site file was accepted";
    } catch (const exam::ConfigError& e) {
        const std::string message = e.what();
        EXPECT_EQ(e.line(), line) << message;
        EXPECT_EQ(e.column(), column) << message;
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
    }
}

}  // namespace

TEST(SiteLoaderService, DefaultsWhenTheSiteSaysNothing) {
    const exam::Site site =
        exam::parse_site(k_header.substr(0, k_header.find("[service]")), "/srv/exam/site.toml");
    EXPECT_EQ(site.service.control_group, "examkit");
    EXPECT_EQ(site.service.health_every, 30s);
    EXPECT_EQ(site.service.alarm_after, 60s);
    EXPECT_TRUE(site.service.alarm_command.empty());
    EXPECT_FALSE(site.service.metrics_file);
    // An empty table is the same.
    EXPECT_EQ(with_service("").service.alarm_after, 60s);
}

TEST(SiteLoaderService, ReadsEveryKey) {
    const exam::Site site = with_service(R"(control_group = "exam-staff"
health_every = "10s"
alarm_after = "2m"
alarm_command = ["/usr/bin/logger", "-t", "exam alarm"]
metrics_file = "/var/lib/node_exporter/textfile/examkit.prom"
)");
    EXPECT_EQ(site.service.control_group, "exam-staff");
    EXPECT_EQ(site.service.health_every, 10s);
    EXPECT_EQ(site.service.alarm_after, 2min);
    EXPECT_EQ(site.service.alarm_command,
              (std::vector<std::string>{"/usr/bin/logger", "-t", "exam alarm"}));
    EXPECT_EQ(site.service.metrics_file, fs::path{"/var/lib/node_exporter/textfile/examkit.prom"});
}

TEST(SiteLoaderService, HealthChecksAreTurnedOffByZero) {
    EXPECT_EQ(with_service("health_every = \"0\"\n").service.health_every, 0ms);
    EXPECT_EQ(with_service("health_every = \"0s\"\n").service.health_every, 0ms);
    expect_error_at("health_every = \"500ms\"\n", 6, 1,
                    "\"health_every\" in [service] must be from 1s to 1h");
    expect_error_at("health_every = \"often\"\n", 6, 16, "or \"0\" for off; found \"often\"");
    expect_error_at("health_every = 30\n", 6, 16, "or \"0\" for off; found an integer");
}

TEST(SiteLoaderService, AlarmAfterHasItsRange) {
    EXPECT_EQ(with_service("alarm_after = \"0s\"\n").service.alarm_after, 0ms);
    expect_error_at("alarm_after = \"2h\"\n", 6, 1,
                    "\"alarm_after\" in [service] must be from 0s to 1h");
}

TEST(SiteLoaderService, MetricsFileAndAlarmScriptAreFoundBesideTheSiteFile) {
    const exam::testing::TempDir temp;
    fs::create_directories(temp.path() / "scripts");
    std::ofstream{temp.path() / "alarm.sh"} << "#!/bin/sh\n";
    const fs::path file = temp.path() / "site.toml";
    const fs::path folder = fs::weakly_canonical(temp.path());

    const exam::Site relative = with_service(
        "alarm_command = [\"scripts/notify.sh\", \"--loud\"]\nmetrics_file = "
        "\"metrics/exam.prom\"\n",
        file);
    EXPECT_EQ(relative.service.alarm_command.front(), (folder / "scripts/notify.sh").string());
    EXPECT_EQ(relative.service.alarm_command.back(), "--loud");
    EXPECT_EQ(relative.service.metrics_file, folder / "metrics/exam.prom");
    // A bare name of a script beside the site file is that script, as in a check suite's argv;
    // any other bare name is left for PATH.
    EXPECT_EQ(with_service("alarm_command = \"alarm.sh\"\n", file).service.alarm_command,
              std::vector<std::string>{(folder / "alarm.sh").string()});
    EXPECT_EQ(with_service("alarm_command = \"logger\"\n", file).service.alarm_command,
              std::vector<std::string>{"logger"});
    // Empty is none.
    EXPECT_TRUE(with_service("alarm_command = \"\"\nmetrics_file = \"\"\n", file)
                    .service.alarm_command.empty());
    EXPECT_FALSE(with_service("metrics_file = \"\"\n", file).service.metrics_file);
    EXPECT_TRUE(with_service("alarm_command = []\n", file).service.alarm_command.empty());
}

TEST(SiteLoaderServiceErrors, AnAlarmCommandWithSpacesInOneStringIsRefusedNotGuessed) {
    expect_error_at("alarm_command = \"/usr/bin/logger -t exam\"\n", 6, 17,
                    "is run without a shell, so a string names the program alone; write the "
                    "program and its arguments as a list");
    expect_error_at("alarm_command = [\"\", \"x\"]\n", 6, 17,
                    "the first item of \"alarm_command\" in [service] is the program to run");
    expect_error_at("alarm_command = [\"logger\", 1]\n", 6, 28, "must be a quoted string");
    expect_error_at("alarm_command = 1\n", 6, 17,
                    "a program and its arguments as a list of strings");
}

TEST(SiteLoaderServiceErrors, AMisspeltKeyIsShownAtTheTypoWithTheRightOne) {
    expect_error_at("health_every = \"30s\"\nalarm_afer = \"1m\"\n", 7, 1,
                    "did you mean \"alarm_after\"?");
    expect_error_at("metrics = \"x.prom\"\n", 6, 1, "metrics_file");
}

TEST(SiteLoaderServiceErrors, AControlGroupMustBeAGroupName) {
    expect_error_at("control_group = \"exam staff\"\n", 6, 1, "must be the name of a system group");
    expect_error_at("control_group = \"\"\n", 6, 1, "must be the name of a system group");
}
