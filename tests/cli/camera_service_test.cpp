// The recording service through the real binaries: `exam-camera service` recording the RTSP
// fixture's cameras (GStreamer), driven by `exam-camera start`, `stop` and `status` over its
// socket, judged by the index, the journal, ffmpeg and promtool. The service runs as the
// owner of the recordings (nobody), as it would under root; clients run as root, and as other
// users through setpriv.
#include <fstream>
#include <regex>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <exam/journal/journal.hpp>
#include <exam/recording/segment_index.hpp>

#include "support/background_process.hpp"
#include "support/languages.hpp"
#include "support/recordings.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::BackgroundProcess;
using exam::testing::eventually;
using exam::testing::run_program;
using exam::testing::run_tool;
using Json = nlohmann::json;
using namespace std::chrono_literals;

constexpr uid_t k_nobody = 65534;   // the recordings' owner: the service runs as this user
constexpr gid_t k_nogroup = 65534;  // and this is the site's control group
constexpr uid_t k_daemon = 1;       // a user in no group of the site's

struct CameraSpec {
    std::string room;
    std::string id;
    std::string mount;  // rtsp_camera.py's mount, "live", "cover:4"; empty: nobody answers
};

class CameraService : public exam::testing::TempDirTest {
protected:
    void TearDown() override {
        m_service.reset();
        m_cameras.reset();
    }

    // The RTSP fixture serving every camera that has a mount (on `port` when given).
    void start_cameras(const std::vector<CameraSpec>& specs, int port = 0) {
        std::vector<std::string> argv{"/usr/bin/python3",
                                      EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--port",
                                      std::to_string(port)};
        for (const CameraSpec& spec : specs) {
            if (!spec.mount.empty()) {
                argv.push_back("--mount");
                argv.push_back(spec.id + "=" + spec.mount);
            }
        }
        m_cameras = std::make_unique<BackgroundProcess>(argv, temp / "rtsp.log");
        const auto ready = m_cameras->wait_for_line("READY ", 20s);
        ASSERT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
        m_port = std::stoi(ready->substr(6));
    }

    // The site: one exam on 2027-01-15 at 10:00 UTC for an hour, exam rooms recorded from
    // 09:00 to 11:10; alarms after 2 s; the picture judged every second.
    void write_site(const std::vector<CameraSpec>& specs, const std::string& extra = "") {
        std::string rooms;
        std::string last_room;
        const int dead_port = exam::testing::free_loopback_port();
        for (const CameraSpec& spec : specs) {
            if (spec.room != last_room) {
                rooms += fmt::format("[[room]]\nid = \"{}\"\nlabel = \"Аудитория {}\"\n", spec.room,
                                     spec.room);
                last_room = spec.room;
            }
            rooms += fmt::format("[[room.camera]]\nid = \"{}\"\nuri = \"rtsp://127.0.0.1:{}/{}\"\n",
                                 spec.id, spec.mount.empty() ? dead_port : m_port, spec.id);
        }
        temp.write("alarm.sh",
                   "#!/bin/sh\necho \"$EXAM_ALARM_STATE $EXAM_ALARM_KIND $EXAM_ALARM_CAMERA "
                   "$EXAM_ALARM_ROOM\" >> \"$(dirname \"$0\")/alarms.txt\"\n");
        fs::permissions(temp / "alarm.sh",
                        fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
        temp.write("site.toml",
                   fmt::format("ppe_code = \"0042\"\nregion = \"77\"\nname = \"School\"\n"
                               "timezone = \"Etc/UTC\"\n"
                               "[[exam]]\nid = \"2027-01-15-math\"\ndate = 2027-01-15\n"
                               "subject = \"Mathematics\"\nstart = \"10:00\"\nduration = \"1h\"\n"
                               "[recording]\nsegment = \"2s\"\nreserve = \"1MB\"\n"
                               "after_end = \"10m\"\n"
                               "[service]\ncontrol_group = \"nogroup\"\nalarm_after = \"2s\"\n"
                               "health_every = \"1s\"\nalarm_command = \"{}\"\n"
                               "metrics_file = \"data/metrics.prom\"\n{}{}",
                               (temp / "alarm.sh").string(), extra, rooms));
        m_env = {{"EXAM_SITE", (temp / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
        const auto journal =
            run_tool(EXAM_JOURNAL_BIN,
                     {.args = {"init"}, .working_directory = temp.path(), .environment = m_env});
        ASSERT_EQ(journal.exit_code, 0) << journal.standard_error;
        fs::create_directories(temp / "recordings");
        give_to_nobody();
        // As /etc/examkit/site.toml is: every user reads it (the outsider of the socket test).
        fs::permissions(temp / "site.toml", fs::perms::others_read, fs::perm_options::add);
    }

    // Everything the service touches becomes nobody's, as an exam point's install makes it the
    // examkit user's.
    void give_to_nobody() {
        ASSERT_EQ(::chown(temp.path().c_str(), k_nobody, k_nogroup), 0);
        // Searchable by everyone, as /etc/examkit and /var/lib/examkit are: the outsider of the
        // socket test must reach the site file and be refused by the socket, not the folder.
        fs::permissions(temp.path(), fs::perms::owner_all | fs::perms::group_read |
                                         fs::perms::group_exec | fs::perms::others_exec);
        for (const auto& entry : fs::recursive_directory_iterator(temp.path())) {
            ASSERT_EQ(::lchown(entry.path().c_str(), k_nobody, k_nogroup), 0) << entry.path();
        }
    }

    // `exam-camera service` in the background, as root (it becomes nobody), until it answers;
    // `environment` adds to the test's.
    void start_service(const std::vector<std::string>& extra = {},
                       const std::vector<std::pair<std::string, std::string>>& environment = {}) {
        std::vector<std::string> argv{"env"};
        for (const auto& [name, value] : environment) {
            argv.push_back(name + "=" + value);
        }
        argv.insert(argv.end(),
                    {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "service"});
        argv.insert(argv.end(), extra.begin(), extra.end());
        m_service = std::make_unique<BackgroundProcess>(argv, temp / "service.log");
        ASSERT_TRUE(eventually(
            [&] {
                return camera_tool({"status", "--json"}).exit_code == 0;
            },
            20s))
            << exam::testing::read_file(temp / "service.log");
    }

    exam::SubprocessResult camera_tool(const std::vector<std::string>& args) const {
        return run_tool(EXAM_CAMERA_BIN,
                        {.args = args, .working_directory = temp.path(), .environment = m_env});
    }

    // The same as another user, through util-linux's setpriv.
    exam::SubprocessResult camera_tool_as(uid_t user, std::optional<gid_t> group,
                                          const std::vector<std::string>& args) const {
        std::vector<std::string> argv{"setpriv", fmt::format("--reuid={}", user),
                                      fmt::format("--regid={}", user)};
        argv.push_back(group ? fmt::format("--groups={}", *group) : "--clear-groups");
        argv.insert(argv.end(),
                    {"env", "EXAM_SITE=" + (temp / "site.toml").string(), EXAM_CAMERA_BIN});
        argv.insert(argv.end(), args.begin(), args.end());
        return run_program(argv, temp.path());
    }

    Json camera_status(const std::string& camera) const {
        const auto result = camera_tool({"status", "--json"});
        if (result.exit_code != 0) {
            return Json::object();
        }
        const Json parsed = Json::parse(result.standard_output);
        for (const Json& entry : parsed.at("cameras")) {
            if (entry.at("camera") == camera) {
                return entry;
            }
        }
        return Json::object();
    }

    bool has_alarm(const std::string& camera, const std::string& kind) const {
        const Json status = camera_status(camera);
        if (!status.contains("alarms")) {
            return false;
        }
        return std::any_of(status.at("alarms").begin(), status.at("alarms").end(),
                           [&](const Json& alarm) { return alarm.value("kind", "") == kind; });
    }

    std::vector<exam::JournalEntry> journal_entries(exam::EntryKind kind) const {
        auto journal = exam::Journal::open_read_only(temp / "data/journal.sqlite");
        std::vector<exam::JournalEntry> found;
        exam::for_each_entry(journal.database(), [&](const exam::JournalEntry& entry, const auto&) {
            if (entry.kind == kind) {
                found.push_back(entry);
            }
        });
        return found;
    }

    std::vector<fs::path> partial_files() const {
        std::vector<fs::path> found;
        for (const auto& entry : fs::recursive_directory_iterator(temp / "recordings")) {
            if (entry.path().extension() == ".partial") {
                found.push_back(entry.path());
            }
        }
        return found;
    }

    std::string service_log() const { return exam::testing::read_file(temp / "service.log"); }

    std::unique_ptr<BackgroundProcess> m_cameras;
    std::unique_ptr<BackgroundProcess> m_service;
    int m_port = 0;
    std::vector<std::pair<std::string, std::string>> m_env;
};

const std::vector<CameraSpec> k_two_cameras{{"0101", "front", "live"}, {"0101", "back", "live"}};

TEST_F(CameraService, StartReturnsAfterTheFirstKeyframeAndStopWithCompleteIndexedFiles) {
    start_cameras(k_two_cameras);
    write_site(k_two_cameras);
    start_service();
    const auto started = camera_tool({"start", "--all"});
    ASSERT_EQ(started.exit_code, 0) << started.standard_error << service_log();
    // Returned: every camera has written its first keyframe, so each records already.
    for (const char* camera : {"front", "back"}) {
        EXPECT_EQ(camera_status(camera).value("state", ""), "recording") << camera;
    }
    EXPECT_EQ(partial_files().size(), 2u);
    ASSERT_TRUE(eventually(
        [&] { return exam::testing::indexed_segments(temp / "recordings").size() >= 2; }, 30s));

    const auto stopped = camera_tool({"stop", "--all"});
    ASSERT_EQ(stopped.exit_code, 0) << stopped.standard_error << service_log();
    // Returned: no file is still being written, every one is indexed and decodes cleanly.
    EXPECT_TRUE(partial_files().empty());
    const auto segments = exam::testing::indexed_segments(temp / "recordings");
    for (const auto& segment : segments) {
        const auto decode =
            run_program({"ffmpeg", "-v", "error", "-i",
                         (temp / "recordings" / segment.file).string(), "-f", "null", "-"},
                        temp.path());
        EXPECT_EQ(decode.exit_code, 0) << segment.file;
        EXPECT_EQ(decode.standard_error, "") << segment.file;
    }
    EXPECT_EQ(camera_status("front").value("state", ""), "stopped");
    // The files are nobody's, never root's.
    for (const auto& segment : segments) {
        struct stat status {};
        ASSERT_EQ(::stat((temp / "recordings" / segment.file).c_str(), &status), 0);
        EXPECT_EQ(status.st_uid, k_nobody) << segment.file;
    }
    // Who started and stopped them is in the journal, from the socket's credentials.
    const auto starts = journal_entries(exam::EntryKind::recording_start);
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_EQ(starts[0].reason.value_or(""), "by-hand");
    EXPECT_EQ(starts[0].actor.value_or(""), "root");
}

TEST_F(CameraService, ABadCameraAmongGoodOnesIsExit69NamingItAndTheGoodOnesRecord) {
    const std::vector<CameraSpec> cameras{{"0101", "front", "live"}, {"0101", "dead", ""}};
    start_cameras(cameras);
    write_site(cameras);
    start_service();
    const auto started = camera_tool({"start", "--all"});
    EXPECT_EQ(started.exit_code, 69) << started.standard_error;
    EXPECT_NE(started.standard_error.find("dead"), std::string::npos) << started.standard_error;
    EXPECT_NE(started.standard_error.find("retried"), std::string::npos) << started.standard_error;
    EXPECT_EQ(camera_status("front").value("state", ""), "recording");
    const Json dead = camera_status("dead");
    EXPECT_NE(dead.value("state", ""), "recording");
    EXPECT_TRUE(dead.value("wanted_on", false));
    EXPECT_EQ(camera_tool({"stop", "--all"}).exit_code, 0);
}

TEST_F(CameraService, AKilledCameraIsAGapAndAnAlarmWhoseCommandRunsAtBothEnds) {
    const std::vector<CameraSpec> cameras{{"0101", "front", "live"}};
    start_cameras(cameras);
    write_site(cameras);
    start_service();
    ASSERT_EQ(camera_tool({"start", "--all"}).exit_code, 0) << service_log();
    const int port = m_port;
    m_cameras->kill_now();
    ASSERT_TRUE(eventually([&] { return has_alarm("front", "gap"); }, 30s)) << service_log();
    EXPECT_NE(camera_status("front").value("state", ""), "recording");
    ASSERT_TRUE(eventually(
        [&] {
            return exam::testing::read_file(temp / "alarms.txt").find("raised gap front 0101") !=
                   std::string::npos;
        },
        10s));

    start_cameras(cameras, port);  // the camera is back
    ASSERT_TRUE(
        eventually([&] { return camera_status("front").value("state", "") == "recording"; }, 30s))
        << service_log();
    ASSERT_TRUE(eventually(
        [&] {
            return exam::testing::read_file(temp / "alarms.txt").find("ended gap front 0101") !=
                   std::string::npos;
        },
        10s))
        << service_log();
    const Json status = camera_status("front");
    EXPECT_GE(status.value("gaps_today", 0), 1) << status.dump();
    EXPECT_FALSE(has_alarm("front", "gap"));
    EXPECT_FALSE(journal_entries(exam::EntryKind::alarm).empty());
    EXPECT_FALSE(journal_entries(exam::EntryKind::alarm_end).empty());
    EXPECT_FALSE(journal_entries(exam::EntryKind::recording_gap).empty());
    EXPECT_EQ(camera_tool({"stop", "--all"}).exit_code, 0);
}

TEST_F(CameraService, ACoveredLensRaisesAPictureAlarmWithinItsThreshold) {
    const std::vector<CameraSpec> cameras{{"0101", "lens", "cover:3"}};
    start_cameras(cameras);
    write_site(cameras);
    start_service();
    ASSERT_EQ(camera_tool({"start", "--all"}).exit_code, 0) << service_log();
    // Covered at 3 s; judged every second, an alarm 2 s after: well within 15 s.
    ASSERT_TRUE(eventually([&] { return has_alarm("lens", "picture"); }, 15s)) << service_log();
    const Json status = camera_status("lens");
    EXPECT_FALSE(status.at("health").at("problems").empty()) << status.dump();
    const auto alarms = journal_entries(exam::EntryKind::alarm);
    ASSERT_FALSE(alarms.empty());
    EXPECT_EQ(alarms.back().reason.value_or(""), "picture");
    EXPECT_EQ(camera_tool({"stop", "--all"}).exit_code, 0);
}

// The service started from a Russian shell: its status tells the picture's problem in Russian,
// while the journal's alarm entry keeps it in English (a signed entry reads the same in every
// language).
TEST_F(CameraService, AServiceInRussianShowsItsAlarmInRussianAndJournalsItInEnglish) {
    const std::vector<CameraSpec> cameras{{"0101", "lens", "cover:3"}};
    start_cameras(cameras);
    write_site(cameras);
    start_service({}, exam::testing::user_environment("ru_RU.UTF-8"));
    ASSERT_EQ(camera_tool({"start", "--all"}).exit_code, 0) << service_log();
    ASSERT_TRUE(eventually([&] { return has_alarm("lens", "picture"); }, 15s)) << service_log();
    const Json problems = camera_status("lens").at("health").at("problems");
    ASSERT_FALSE(problems.empty());
    // Black or flat, as the covered lens lets light in: "чёрное изображение: яркость 16,0, ...".
    EXPECT_NE(problems[0].get<std::string>().find("изображение: "), std::string::npos)
        << problems.dump();
    const auto alarms = journal_entries(exam::EntryKind::alarm);
    ASSERT_FALSE(alarms.empty());
    const std::string note = alarms.back().note.value_or("");
    EXPECT_TRUE(std::regex_search(note, std::regex{"^since [-0-9T:.]+Z: (black|flat) picture.*, "
                                                   "needs at least [0-9]+$"}))
        << note;
    EXPECT_EQ(note.find_first_of("\xD0\xD1"), std::string::npos) << note;  // no Cyrillic
    EXPECT_EQ(camera_tool({"stop", "--all"}).exit_code, 0);
}

TEST_F(CameraService, TheScheduleStartsAndStopsARoomByItself) {
    const std::vector<CameraSpec> cameras{{"0101", "front", "live"}};
    start_cameras(cameras);
    write_site(cameras);
    // Three seconds before the exam room's window opens at 09:00: it starts with nobody asking.
    start_service({"--at", "2027-01-15 08:59:57"});
    ASSERT_TRUE(
        eventually([&] { return camera_status("front").value("state", "") == "recording"; }, 30s))
        << service_log();
    const auto starts = journal_entries(exam::EntryKind::recording_start);
    ASSERT_FALSE(starts.empty());
    EXPECT_EQ(starts.front().reason.value_or(""), "schedule");
    m_service->stop(20s);

    // Three seconds before it closes at 11:10: resumed, then stopped by itself.
    start_service({"--at", "2027-01-15 11:09:57"});
    ASSERT_TRUE(eventually(
        [&] {
            const auto stops = journal_entries(exam::EntryKind::recording_stop);
            return !stops.empty() && stops.back().reason.value_or("") == "schedule";
        },
        30s))
        << service_log();
    EXPECT_TRUE(
        eventually([&] { return camera_status("front").value("state", "") == "stopped"; }, 20s));
}

TEST_F(CameraService, AStopInsideTheWindowIsRefusedWithoutForceAndAReason) {
    const std::vector<CameraSpec> cameras{{"0101", "front", "live"}};
    start_cameras(cameras);
    write_site(cameras);
    start_service({"--at", "2027-01-15 10:30:00"});
    ASSERT_TRUE(
        eventually([&] { return camera_status("front").value("state", "") == "recording"; }, 30s))
        << service_log();
    const auto refused = camera_tool({"stop", "--room", "0101"});
    EXPECT_EQ(refused.exit_code, 64) << refused.standard_error;
    EXPECT_NE(refused.standard_error.find("--force --reason"), std::string::npos)
        << refused.standard_error;
    EXPECT_EQ(camera_status("front").value("state", ""), "recording");

    const auto forced =
        camera_tool({"stop", "--room", "0101", "--force", "--reason", "camera fell down"});
    ASSERT_EQ(forced.exit_code, 0) << forced.standard_error;
    EXPECT_EQ(camera_status("front").value("state", ""), "stopped");
    const auto stops = journal_entries(exam::EntryKind::recording_stop);
    ASSERT_FALSE(stops.empty());
    EXPECT_EQ(stops.back().reason.value_or(""), "camera fell down");
    EXPECT_EQ(stops.back().actor.value_or(""), "root");
}

TEST_F(CameraService, TheSocketRefusesAUserOutsideTheControlGroup) {
    const std::vector<CameraSpec> cameras{{"0101", "front", "live"}};
    start_cameras(cameras);
    write_site(cameras);
    start_service();
    const auto outsider = camera_tool_as(k_daemon, std::nullopt, {"stop", "--all"});
    EXPECT_EQ(outsider.exit_code, 77) << outsider.standard_error;
    EXPECT_NE(outsider.standard_error.find("nogroup"), std::string::npos)
        << outsider.standard_error;
    const auto member = camera_tool_as(k_daemon, k_nogroup, {"status", "--json"});
    EXPECT_EQ(member.exit_code, 0) << member.standard_error;
    // Garbage on the socket costs that connection only.
    const auto garbage =
        run_program({"python3", "-c",
                     "import os, socket, sys\n"
                     "s = socket.socket(socket.AF_UNIX)\n"
                     "s.connect(sys.argv[1])\n"
                     "try:\n    s.sendall(os.urandom(100000))\nexcept OSError:\n    pass\n",
                     (temp / "data/exam-camera.sock").string()},
                    temp.path());
    EXPECT_EQ(garbage.exit_code, 0) << garbage.standard_error;
    EXPECT_EQ(camera_tool({"status", "--json"}).exit_code, 0) << service_log();
}

TEST_F(CameraService, AKilledServiceResumesTheSameCamerasWithOneGapEach) {
    start_cameras(k_two_cameras);
    write_site(k_two_cameras);
    start_service();
    ASSERT_EQ(camera_tool({"start", "--camera", "front"}).exit_code, 0) << service_log();
    ASSERT_TRUE(eventually(
        [&] { return exam::testing::indexed_segments(temp / "recordings").size() >= 1; }, 30s));
    m_service->kill_now();  // as a power cut would
    start_service();
    ASSERT_TRUE(
        eventually([&] { return camera_status("front").value("state", "") == "recording"; }, 30s))
        << service_log();
    EXPECT_EQ(camera_status("back").value("state", ""), "stopped");
    ASSERT_EQ(camera_tool({"stop", "--all"}).exit_code, 0);
    auto index = exam::SegmentIndex::open(temp / "recordings");
    const auto gaps = index.gaps();
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_EQ(gaps.front().camera, "front");
    EXPECT_TRUE(partial_files().empty());
}

// Evidence is never silent: a start whose journal entries cannot be written records (losing
// nothing of the exam) but says so and exits 74, and so does a stop.
TEST_F(CameraService, AStartWhoseJournalCannotTakeItsEntriesSaysSoAndExits74) {
    const std::vector<CameraSpec> cameras{{"0101", "front", "live"}};
    start_cameras(cameras);
    write_site(cameras);
    fs::remove(temp / "data/journal.sqlite");  // the site keeps a journal; it is not there
    start_service();
    const auto started = camera_tool({"start", "--all"});
    EXPECT_EQ(started.exit_code, 74) << started.standard_error;
    EXPECT_NE(started.standard_error.find("journal entries could not be written"),
              std::string::npos)
        << started.standard_error;
    EXPECT_EQ(camera_status("front").value("state", ""), "recording");
    // And every status says so, until the journal is mended.
    const auto status = camera_tool({"status"});
    EXPECT_NE(status.standard_output.find("could not be written to the journal"), std::string::npos)
        << status.standard_output;
    const auto stopped = camera_tool({"stop", "--all"});
    EXPECT_EQ(stopped.exit_code, 74) << stopped.standard_error;
    EXPECT_EQ(camera_status("front").value("state", ""), "stopped");
}

TEST_F(CameraService, TheMetricsFilePassesPromtool) {
    start_cameras(k_two_cameras);
    write_site(k_two_cameras);
    start_service();
    ASSERT_EQ(camera_tool({"start", "--all"}).exit_code, 0);
    ASSERT_TRUE(eventually(
        [&] {
            return exam::testing::read_file(temp / "data/metrics.prom")
                       .find("examkit_camera_recording") != std::string::npos;
        },
        20s));
    const auto check =
        run_program({"sh", "-c", "promtool check metrics < data/metrics.prom"}, temp.path());
    EXPECT_EQ(check.exit_code, 0) << check.standard_output << check.standard_error;
    EXPECT_EQ(camera_tool({"stop", "--all"}).exit_code, 0);
}

TEST_F(CameraService, StartWithNoServiceRunningStartsOneThatIsNotRoot) {
    const std::vector<CameraSpec> cameras{{"0101", "front", "live"}};
    start_cameras(cameras);
    write_site(cameras);
    const auto started = camera_tool({"start", "--all"});
    ASSERT_EQ(started.exit_code, 0) << started.standard_error;
    EXPECT_NE(started.standard_error.find("starting one"), std::string::npos);
    const auto status = camera_tool({"status", "--json"});
    ASSERT_EQ(status.exit_code, 0);
    const Json parsed = Json::parse(status.standard_output);
    EXPECT_EQ(parsed.value("service_user", ""), "nobody");
    EXPECT_EQ(camera_tool({"stop", "--all"}).exit_code, 0);
    const int pid = parsed.value("pid", 0);
    ASSERT_GT(pid, 1);
    ::kill(pid, SIGTERM);
    EXPECT_TRUE(eventually([&] { return ::kill(pid, 0) != 0; }, 20s));
}

}  // namespace
