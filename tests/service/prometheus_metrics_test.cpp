#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <exam/core/site_loader.hpp>
#include <exam/service/camera_status.hpp>
#include <exam/util/subprocess.hpp>

#include "support/temp_dir.hpp"

using namespace std::chrono;

namespace {

namespace fs = std::filesystem;
using PrometheusMetricsTest = exam::testing::TempDirTest;

const exam::TimePoint k_now = sys_days{year{2026} / June / 1} + hours{7};

// Labels with every character the format escapes, and Cyrillic.
const std::string k_hard_label = "Камера \"у доски\" C:\\cam\nвторая строка";

exam::Site site() {
    return exam::parse_site(R"(ppe_code = "0042"
region = "77"
name = "Школа №5 \"Лицей\""
timezone = "Europe/Moscow"
)",
                            "/srv/exam/site.toml");
}

exam::ServiceStatus status() {
    exam::CameraStatus front;
    front.camera = "0101-front";
    front.room = "0101";
    front.room_label = "Аудитория 0101";
    front.camera_label = k_hard_label;
    front.state = exam::CameraState::recording;
    front.since = k_now;
    front.bytes_today = 1'234'567'890;
    front.gaps_today = 2;
    front.gap_time_today = milliseconds{65'250};
    front.health = {k_now, {}};
    front.sound = exam::SoundState::lost;
    front.alarms = {
        {"0101-front", "0101", exam::AlarmKind::sound, true, k_now, k_now, {"silent", "silent"}}};
    front.wanted_on = true;
    exam::CameraStatus back;
    back.camera = "0101-back";
    back.room = "0101";
    back.room_label = "Аудитория 0101";
    back.camera_label = "0101-back";
    back.state = exam::CameraState::failed;
    back.since = k_now;
    return {k_now, false, "exam", {front, back}};
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in{text};
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST(PrometheusMetrics, PromtoolAcceptsTheFileWithoutAComplaint) {
    exam::SubprocessRequest request;
    request.argv = {"promtool", "check", "metrics"};
    request.standard_input = exam::prometheus_metrics(status(), site());
    const exam::SubprocessResult run = exam::run_subprocess(request);
    // promtool prints lint problems (a missing HELP, a counter without _total) and fails on
    // a syntax error; a clean file gets neither.
    EXPECT_EQ(run.exit_code, 0) << run.standard_output << run.standard_error << "\n"
                                << request.standard_input;
    EXPECT_EQ(run.standard_output + run.standard_error, "") << request.standard_input;
}

TEST(PrometheusMetrics, LabelValuesAreEscapedAndCyrillicKept) {
    const std::string text = exam::prometheus_metrics(status(), site());
    EXPECT_TRUE(has_line(text,
                         "examkit_camera_info{camera=\"0101-front\",room=\"0101\","
                         "camera_label=\"Камера \\\"у доски\\\" C:\\\\cam\\nвторая "
                         "строка\",room_label=\"Аудитория 0101\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text,
                         "examkit_service_info{ppe=\"0042\",region=\"77\","
                         "name=\"Школа №5 \\\"Лицей\\\"\",service_user=\"exam\"} 1"))
        << text;
}

TEST(PrometheusMetrics, EachCameraHasItsStateBytesGapsAndAlarms) {
    const std::string text = exam::prometheus_metrics(status(), site());
    for (const std::string line : {
             "examkit_service_up 1",
             "examkit_service_shifted_clock 0",
             "examkit_service_clock_seconds 1780297200.000",
             "examkit_camera_recording{camera=\"0101-front\",room=\"0101\"} 1",
             "examkit_camera_recording{camera=\"0101-back\",room=\"0101\"} 0",
             "examkit_camera_wanted{camera=\"0101-back\",room=\"0101\"} 0",
             "examkit_camera_state{camera=\"0101-back\",room=\"0101\",state=\"failed\"} 1",
             "examkit_camera_state{camera=\"0101-back\",room=\"0101\",state=\"recording\"} 0",
             "examkit_camera_bytes_today{camera=\"0101-front\",room=\"0101\"} 1234567890",
             "examkit_camera_gaps_today{camera=\"0101-front\",room=\"0101\"} 2",
             "examkit_camera_gap_seconds_today{camera=\"0101-front\",room=\"0101\"} 65.250",
             "examkit_camera_picture_healthy{camera=\"0101-front\",room=\"0101\"} 1",
             "examkit_camera_picture_healthy{camera=\"0101-back\",room=\"0101\"} 0",
             "examkit_camera_sound_lost{camera=\"0101-front\",room=\"0101\"} 1",
             "examkit_camera_alarm{camera=\"0101-front\",room=\"0101\",kind=\"sound\"} 1",
             "examkit_camera_alarm{camera=\"0101-front\",room=\"0101\",kind=\"gap\"} 0",
         }) {
        EXPECT_TRUE(has_line(text, line)) << line << "\n" << text;
    }
}

TEST(PrometheusMetrics, EverySampleFollowsItsFamilysHelpAndType) {
    // The structure promtool also judges, checked here line by line: a family's HELP, then its
    // TYPE, then only its own samples; no family twice; a value on every sample.
    std::set<std::string> families;
    std::string current;
    const auto lines = lines_of(exam::prometheus_metrics(status(), site()));
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        if (line.starts_with("# HELP ")) {
            current = line.substr(7, line.find(' ', 7) - 7);
            EXPECT_TRUE(families.insert(current).second) << current << " twice";
            ASSERT_LT(i + 1, lines.size());
            EXPECT_EQ(lines[i + 1], "# TYPE " + current + " gauge");
            ++i;
            continue;
        }
        ASSERT_FALSE(current.empty()) << line;
        const std::string name = line.substr(0, line.find_first_of("{ "));
        EXPECT_EQ(name, current) << line;
        EXPECT_NE(line.find_last_of(' '), std::string::npos);
    }
    EXPECT_TRUE(families.contains("examkit_camera_alarm"));
}

TEST_F(PrometheusMetricsTest, TheFileIsReplacedWholeAndReadableByTheCollector) {
    const fs::path file = temp / "examkit.prom";
    exam::write_metrics_file(file, "examkit_service_up 1\n");
    exam::write_metrics_file(file, exam::prometheus_metrics(status(), site()));
    EXPECT_EQ(exam::testing::read_file(file), exam::prometheus_metrics(status(), site()));
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0644u);
    // Nothing but the file: node_exporter would read any other *.prom it found.
    EXPECT_EQ(std::distance(fs::directory_iterator{temp.path()}, fs::directory_iterator{}), 1);
}
