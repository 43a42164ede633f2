// Evidence is never silent: every tool finds the one journal of the site however the site
// file is named, the recorder's starts, stops and segments go into it, and a journal that
// cannot take them is said loudly and fails the command. Through the real binaries, with the
// recorder's built-in test camera.
#include <csignal>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <exam/recording/segment_index.hpp>
#include <exam/util/error.hpp>

#include "support/background_process.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::BackgroundProcess;
using exam::testing::run_tool;
using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++count;
    }
    return count;
}

const std::string k_site =
    "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\ntimezone = \"Europe/Moscow\"\n"
    "[recording]\nsegment = \"2s\"\nreserve = \"1MB\"\n"
    "[[room]]\nid = \"0101\"\n[[room.camera]]\nid = \"front\"\nuri = \"test:160x120@10\"\n";

const std::string k_suite = "[[check]]\nid = \"shell\"\ntype = \"command\"\nrun = \"true\"\n";

class JournalEvidence : public exam::testing::TempDirTest {
protected:
    exam::SubprocessResult tool(const std::string& binary, std::vector<std::string> args,
                                const fs::path& folder) const {
        return run_tool(binary, {.args = std::move(args),
                                 .working_directory = folder,
                                 .environment = {{"EXAM_ACTOR", "Technician"}}});
    }

    std::vector<exam::SegmentRecord> indexed(const fs::path& recordings) const {
        try {
            return exam::SegmentIndex::open_read_only(exam::SegmentIndex::file_in(recordings))
                .segments();
        } catch (const exam::Error&) {
            return {};  // not created yet: the caller polls
        }
    }

    // Records the site's camera from `folder` until its first segment is indexed, then stops
    // it with `signal`; returns the exit code and leaves the terminal output in `log`.
    int record_one_segment(const std::vector<std::string>& site_args, const fs::path& folder,
                           const fs::path& recordings, int signal, std::string& log) const {
        std::vector<std::string> argv{"/usr/bin/env", "-C", folder.string(),
                                      "EXAM_ACTOR=Technician", EXAM_CAMERA_BIN};
        argv.insert(argv.end(), site_args.begin(), site_args.end());
        argv.insert(argv.end(), {"record", "--camera", "front"});
        const std::size_t before = indexed(recordings).size();
        BackgroundProcess recorder(argv, temp / "record.log");
        const bool recorded =
            exam::testing::eventually([&] { return indexed(recordings).size() > before; }, 60s);
        ::kill(recorder.pid(), signal);
        const auto status = recorder.wait_for_exit(20s);
        log = exam::testing::read_file(temp / "record.log");
        EXPECT_TRUE(recorded) << log;
        if (!status || !WIFEXITED(*status)) {
            ADD_FAILURE() << "the recorder did not exit by itself after the signal\n" << log;
            return -1;
        }
        return WEXITSTATUS(*status);
    }

    nlohmann::json entries(const fs::path& site) const {
        const auto list =
            tool(EXAM_JOURNAL_BIN, {"--site", site.string(), "list", "--json"}, temp.path());
        EXPECT_EQ(list.exit_code, 0) << list.standard_error;
        return nlohmann::json::parse(list.standard_output)["entries"];
    }

    std::vector<fs::path> journals_under(const fs::path& folder) const {
        std::vector<fs::path> found;
        for (const auto& entry : fs::recursive_directory_iterator(folder)) {
            if (entry.path().filename() == "journal.sqlite") {
                found.push_back(entry.path());
            }
        }
        return found;
    }
};

}  // namespace

TEST_F(JournalEvidence, EveryToolFindsOneJournalHoweverTheSiteFileIsNamed) {
    temp.write("sub/site.toml", k_site);
    temp.write("suite.toml", k_suite);
    fs::create_directories(temp / "sub/elsewhere");
    fs::create_directories(temp / "away");
    fs::create_symlink(temp / "sub", temp / "link");

    // Relative, from the parent folder.
    const auto init = tool(EXAM_JOURNAL_BIN, {"--site", "sub/site.toml", "init"}, temp.path());
    ASSERT_EQ(init.exit_code, 0) << init.standard_error;
    EXPECT_TRUE(fs::exists(temp / "sub/data/journal.sqlite"));
    EXPECT_FALSE(fs::exists(temp / "sub/sub"));

    // With "..", from a folder below.
    const auto run =
        tool(EXAM_PRECHECK_BIN,
             {"--site", "../site.toml", "run", "--suite", (temp / "suite.toml").string()},
             temp / "sub/elsewhere");
    EXPECT_EQ(run.exit_code, 0) << run.standard_error;
    EXPECT_FALSE(contains(run.standard_error, "WARNING")) << run.standard_error;

    // Through a symlink to the folder, from another folder.
    std::string log;
    EXPECT_EQ(record_one_segment({"--site", "../link/site.toml"}, temp / "away",
                                 temp / "sub/recordings", SIGINT, log),
              0)
        << log;
    EXPECT_FALSE(contains(log, "WARNING")) << log;

    // Absolute: one journal with everything in it.
    const auto all = entries(temp / "sub/site.toml");
    std::vector<std::string> kinds;
    for (const auto& entry : all) {
        kinds.push_back(entry["kind"]);
    }
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "operability-check"), kinds.end());
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "recording-start"), kinds.end());
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "segment"), kinds.end());
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "recording-stop"), kinds.end());
    EXPECT_EQ(journals_under(temp.path()).size(), 1u);
}

TEST_F(JournalEvidence, AJournalLeftAtTheDoubledPathIsRefusedNotReplaced) {
    temp.write("sub/site.toml", k_site);
    ASSERT_EQ(
        tool(EXAM_JOURNAL_BIN, {"--site", (temp / "sub/site.toml").string(), "init"}, temp.path())
            .exit_code,
        0);
    // Where an earlier examkit put it for "--site sub/site.toml".
    fs::create_directories(temp / "sub/sub/data");
    fs::rename(temp / "sub/data/journal.sqlite", temp / "sub/sub/data/journal.sqlite");

    for (const std::string binary : {EXAM_JOURNAL_BIN, EXAM_PRECHECK_BIN}) {
        const auto refused =
            tool(binary, {"--site", "sub/site.toml", binary == EXAM_JOURNAL_BIN ? "list" : "site"},
                 temp.path());
        EXPECT_EQ(refused.exit_code, 78) << binary << refused.standard_error;
        EXPECT_TRUE(contains(refused.standard_error, (temp / "sub/data/journal.sqlite").string()))
            << refused.standard_error;
        EXPECT_TRUE(
            contains(refused.standard_error, (temp / "sub/sub/data/journal.sqlite").string()))
            << refused.standard_error;
        EXPECT_TRUE(contains(refused.standard_error, "mv ")) << refused.standard_error;
    }
    const auto init = tool(EXAM_JOURNAL_BIN, {"--site", "sub/site.toml", "init"}, temp.path());
    EXPECT_EQ(init.exit_code, 78) << init.standard_error;
    EXPECT_FALSE(fs::exists(temp / "sub/data/journal.sqlite"));
}

TEST_F(JournalEvidence, RecordingWithoutAJournalSaysSoAtStartAndEndAndExits74) {
    temp.write("site.toml", k_site);
    std::string log;
    EXPECT_EQ(
        record_one_segment({"--site", "site.toml"}, temp.path(), temp / "recordings", SIGINT, log),
        74)
        << log;
    // Before the first segment and again at the end.
    EXPECT_EQ(count_of(log, "NOTHING is entered in the journal"), 2u) << log;
    EXPECT_LT(log.find("NOTHING is entered in the journal"), log.find("front: recording")) << log;
    EXPECT_TRUE(contains(log, "exam-journal init")) << log;
    EXPECT_TRUE(contains(log, "are NOT in the journal")) << log;
    // The video itself is kept.
    EXPECT_FALSE(indexed(temp / "recordings").empty());
}

TEST_F(JournalEvidence, AStationThatKeepsNoJournalRecordsWithoutAWord) {
    temp.write("site.toml", k_site + "[journal]\nkeep = false\n");
    std::string log;
    EXPECT_EQ(
        record_one_segment({"--site", "site.toml"}, temp.path(), temp / "recordings", SIGTERM, log),
        0)
        << log;
    EXPECT_FALSE(contains(log, "WARNING")) << log;
    EXPECT_FALSE(contains(log, "journal")) << log;
}

TEST_F(JournalEvidence, ASegmentHashTheJournalCannotTakeFailsTheRecordingWith74) {
    temp.write("site.toml", k_site + "[paths]\ndata = \"small\"\n");
    fs::create_directories(temp / "small");
    const exam::testing::ScopedTmpfs small{temp / "small", "1m"};
    ASSERT_TRUE(small.mounted());
    ASSERT_EQ(tool(EXAM_JOURNAL_BIN, {"--site", "site.toml", "init"}, temp.path()).exit_code, 0);
    BackgroundProcess recorder({"/usr/bin/env", "-C", temp.path().string(), EXAM_CAMERA_BIN,
                                "--site", "site.toml", "record", "--camera", "front"},
                               temp / "record.log");
    // The start is in the journal; then the journal's disk fills up, so that the segment's
    // hash cannot be written.
    ASSERT_TRUE(exam::testing::eventually(
        [&] { return contains(exam::testing::read_file(temp / "record.log"), "front: recording"); },
        30s))
        << exam::testing::read_file(temp / "record.log");
    exam::SubprocessRequest fill;
    fill.argv = {"dd", "if=/dev/zero", "of=" + (temp / "small/filler").string(), "bs=64k"};
    ASSERT_TRUE(exam::run_subprocess(fill).exited());
    ASSERT_TRUE(
        exam::testing::eventually([&] { return !indexed(temp / "recordings").empty(); }, 30s));
    ASSERT_TRUE(exam::testing::eventually(
        [&] {
            return contains(exam::testing::read_file(temp / "record.log"),
                            "ALARM: the journal refused the entry");
        },
        10s))
        << exam::testing::read_file(temp / "record.log");
    ::kill(recorder.pid(), SIGINT);
    const auto status = recorder.wait_for_exit(20s);
    const std::string log = exam::testing::read_file(temp / "record.log");
    ASSERT_TRUE(status && WIFEXITED(*status)) << log;
    EXPECT_EQ(WEXITSTATUS(*status), 74) << log;
    EXPECT_TRUE(contains(log, "are NOT in the journal")) << log;
    fs::remove(temp / "small/filler");
}

TEST_F(JournalEvidence, EachCameraStartAndStopIsAnEquipmentEventWithItsReason) {
    temp.write("site.toml", k_site);
    ASSERT_EQ(tool(EXAM_JOURNAL_BIN, {"--site", "site.toml", "init"}, temp.path()).exit_code, 0);
    std::string log;
    ASSERT_EQ(
        record_one_segment({"--site", "site.toml"}, temp.path(), temp / "recordings", SIGINT, log),
        0)
        << log;
    ASSERT_EQ(
        record_one_segment({"--site", "site.toml"}, temp.path(), temp / "recordings", SIGTERM, log),
        0)
        << log;

    // A crash: killed while a segment is open; the next start says so.
    {
        BackgroundProcess recorder(
            {"/usr/bin/env", "-C", temp.path().string(), "EXAM_ACTOR=Technician", EXAM_CAMERA_BIN,
             "--site", "site.toml", "record", "--camera", "front"},
            temp / "crash.log");
        ASSERT_TRUE(exam::testing::eventually(
            [&] {
                for (const auto& entry : fs::directory_iterator(temp / "recordings/0101/front")) {
                    if (entry.path().extension() == ".partial" && fs::file_size(entry.path()) > 0) {
                        return true;
                    }
                }
                return false;
            },
            30s))
            << exam::testing::read_file(temp / "crash.log");
        recorder.kill_now();
    }
    ASSERT_EQ(
        record_one_segment({"--site", "site.toml"}, temp.path(), temp / "recordings", SIGINT, log),
        0)
        << log;

    std::vector<nlohmann::json> switches;
    for (const auto& entry : entries(temp / "site.toml")) {
        if (entry["kind"] == "recording-start" || entry["kind"] == "recording-stop") {
            switches.push_back(entry);
        }
    }
    ASSERT_EQ(switches.size(), 7u);  // start, stop, start, stop, start (killed), start, stop
    for (const auto& entry : switches) {
        EXPECT_EQ(entry["room"], "0101");
        EXPECT_EQ(entry["camera"], "front");
        EXPECT_EQ(entry["actor"], "Technician");
    }
    EXPECT_EQ(switches[0]["kind"], "recording-start");
    EXPECT_FALSE(switches[0].contains("reason"));
    EXPECT_EQ(switches[1]["reason"], "ctrl-c");
    EXPECT_EQ(switches[3]["reason"], "sigterm");
    EXPECT_EQ(switches[4]["kind"], "recording-start");
    EXPECT_EQ(switches[5]["kind"], "recording-start");
    EXPECT_EQ(switches[5]["reason"], "restart-after-crash");
    EXPECT_EQ(switches[6]["reason"], "ctrl-c");

    // The paper equipment journal shows them as its rows.
    const auto html =
        tool(EXAM_JOURNAL_BIN, {"--site", "site.toml", "list", "--html"}, temp.path());
    ASSERT_EQ(html.exit_code, 0) << html.standard_error;
    EXPECT_EQ(count_of(html.standard_output, "<td>recording (front)"), 4u) << html.standard_output;
    EXPECT_TRUE(contains(html.standard_output, "switched off: stopped with Ctrl-C"));
    EXPECT_TRUE(contains(html.standard_output, "switched off: stopped by the system (SIGTERM)"));
    EXPECT_TRUE(contains(html.standard_output, "restarted after a crash or a power cut"));
}

TEST_F(JournalEvidence, TheRecorderPrintsAHeartbeatAndASummaryPerCamera) {
    temp.write("site.toml", k_site + "[journal]\nkeep = false\n");
    BackgroundProcess recorder({EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record",
                                "--all", "--heartbeat", "1s"},
                               temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually(
        [&] {
            return contains(exam::testing::read_file(temp / "record.log"),
                            "1 of 1 cameras recording");
        },
        30s))
        << exam::testing::read_file(temp / "record.log");
    ASSERT_TRUE(
        exam::testing::eventually([&] { return !indexed(temp / "recordings").empty(); }, 30s));
    ::kill(recorder.pid(), SIGINT);
    ASSERT_TRUE(recorder.wait_for_exit(20s));
    const std::string log = exam::testing::read_file(temp / "record.log");
    EXPECT_TRUE(contains(log, "What was recorded:")) << log;
    EXPECT_TRUE(contains(log, "  0101/front: ")) << log;
    EXPECT_TRUE(contains(log, "no gaps")) << log;

    const auto wrong =
        run_tool(EXAM_CAMERA_BIN, {.args = {"--site", (temp / "site.toml").string(), "record",
                                            "--all", "--heartbeat", "often"}});
    EXPECT_EQ(wrong.exit_code, 64);
    EXPECT_TRUE(contains(wrong.standard_error, "--heartbeat often")) << wrong.standard_error;
}

TEST_F(JournalEvidence, APrecheckRunWithoutItsJournalKeepsItsVerdictAndSaysSo) {
    temp.write("site.toml", k_site);
    temp.write("suite.toml", k_suite);
    const auto run = tool(EXAM_PRECHECK_BIN,
                          {"--site", "site.toml", "run", "--suite", "suite.toml", "--report",
                           "json:report.json", "--report", "text"},
                          temp.path());
    EXPECT_EQ(run.exit_code, 0) << run.standard_error;
    EXPECT_EQ(count_of(run.standard_error, "WARNING"), 2u) << run.standard_error;
    EXPECT_TRUE(contains(run.standard_error, "will NOT be recorded in the access journal"));
    EXPECT_TRUE(contains(run.standard_error, "was NOT recorded in the access journal"));
    EXPECT_TRUE(contains(run.standard_output, "NOT JOURNALLED")) << run.standard_output;
    const auto report = nlohmann::json::parse(exam::testing::read_file(temp / "report.json"));
    EXPECT_EQ(report["journalled"], false);
    EXPECT_TRUE(contains(report["journal_problem"].get<std::string>(), "exam-journal init"));

    // With the journal: recorded, and the report says so.
    ASSERT_EQ(tool(EXAM_JOURNAL_BIN, {"--site", "site.toml", "init"}, temp.path()).exit_code, 0);
    const auto journalled = tool(
        EXAM_PRECHECK_BIN,
        {"--site", "site.toml", "run", "--suite", "suite.toml", "--report", "json:report.json"},
        temp.path());
    EXPECT_EQ(journalled.exit_code, 0) << journalled.standard_error;
    EXPECT_FALSE(contains(journalled.standard_error, "WARNING")) << journalled.standard_error;
    const auto recorded = nlohmann::json::parse(exam::testing::read_file(temp / "report.json"));
    EXPECT_EQ(recorded["journalled"], true);
    EXPECT_TRUE(recorded["journal_problem"].is_null());

    // A room station keeps none: nothing expected, nothing warned.
    temp.write("station.toml", k_site + "[journal]\nkeep = false\n");
    const auto station = tool(
        EXAM_PRECHECK_BIN,
        {"--site", "station.toml", "run", "--suite", "suite.toml", "--report", "json:station.json"},
        temp.path());
    EXPECT_EQ(station.exit_code, 0) << station.standard_error;
    EXPECT_FALSE(contains(station.standard_error, "WARNING")) << station.standard_error;
    const auto kept_none = nlohmann::json::parse(exam::testing::read_file(temp / "station.json"));
    EXPECT_EQ(kept_none["journalled"], false);
    EXPECT_TRUE(kept_none["journal_problem"].is_null());
}
