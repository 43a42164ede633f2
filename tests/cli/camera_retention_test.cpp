// exam-camera coverage, purge, hold, release and holds against recordings made by the real
// recorder: the built-in test camera for retention, a real RTSP camera (tests/fixtures) for
// coverage, and the journal initialised as on an exam point.
#include <csignal>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <exam/recording/segment_index.hpp>
#include <exam/util/time.hpp>

#include "support/background_process.hpp"
#include "support/recordings.hpp"
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

// A site with one camera, its journal initialised; recordings made by `exam-camera record`.
class CameraArchiveTest : public exam::testing::TempDirTest {
protected:
    void make_site(const std::string& uri) {
        temp.write("site.toml",
                   "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
                   "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\n"
                   "reserve = \"1MB\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\nid = "
                   "\"front\"\nuri = \"" +
                       uri + "\"\n");
        m_env = {{"EXAM_SITE", (temp / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
        const auto init = journal({"init"});
        ASSERT_EQ(init.exit_code, 0) << init.standard_error;
    }

    exam::SubprocessResult camera(std::vector<std::string> args) const {
        return run_tool(
            EXAM_CAMERA_BIN,
            {.args = std::move(args), .working_directory = temp.path(), .environment = m_env});
    }
    exam::SubprocessResult journal(std::vector<std::string> args) const {
        return run_tool(
            EXAM_JOURNAL_BIN,
            {.args = std::move(args), .working_directory = temp.path(), .environment = m_env});
    }

    std::vector<exam::SegmentRecord> indexed() const {
        return exam::testing::indexed_segments(temp / "recordings");
    }

    // One run of `exam-camera record --all` until the index holds `segments` in all, ended with
    // Ctrl-C (SIGINT) as a technician ends it.
    void record_until(std::size_t segments, const std::string& log) {
        BackgroundProcess recorder(
            {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
            temp / log);
        ASSERT_TRUE(exam::testing::eventually([&] { return indexed().size() >= segments; }, 60s))
            << exam::testing::read_file(temp / log);
        ::kill(recorder.pid(), SIGINT);
        const auto status = recorder.wait_for_exit(20s);
        ASSERT_TRUE(status && WIFEXITED(*status)) << exam::testing::read_file(temp / log);
        EXPECT_EQ(WEXITSTATUS(*status), 0) << exam::testing::read_file(temp / log);
    }

    std::vector<exam::DeletionRecord> deletions() const {
        return exam::SegmentIndex::open_read_only(exam::SegmentIndex::file_in(temp / "recordings"))
            .deletions();
    }

    bool all_files_exist() const {
        for (const auto& segment : indexed()) {
            if (!fs::exists(temp / "recordings" / segment.file)) {
                return false;
            }
        }
        return true;
    }

    std::vector<std::pair<std::string, std::string>> m_env;
};

// Two years on: every test recording is past retention then (1 March of the next year).
std::string two_years_on() {
    return exam::format_utc(exam::now() + std::chrono::years{2});
}

class CameraRetention : public CameraArchiveTest {
protected:
    void SetUp() override {
        make_site("test:160x120@10");
        record_until(2, "record.log");
    }
};

}  // namespace

TEST_F(CameraRetention, PurgeNeverDeletesWithinRetention) {
    const auto purge = camera({"purge"});
    EXPECT_EQ(purge.exit_code, 0) << purge.standard_error;
    EXPECT_TRUE(contains(purge.standard_output, "0 files past retention to delete"))
        << purge.standard_output;
    EXPECT_TRUE(all_files_exist());
    EXPECT_TRUE(deletions().empty());
}

TEST_F(CameraRetention, DryRunListsWhatWouldGoAndDeletesNothing) {
    const auto files = indexed();
    const auto dry = camera({"purge", "--dry-run", "--at", two_years_on()});
    EXPECT_EQ(dry.exit_code, 0) << dry.standard_error;
    EXPECT_TRUE(contains(dry.standard_output, files[0].file)) << dry.standard_output;
    EXPECT_TRUE(contains(dry.standard_output, "would be deleted")) << dry.standard_output;
    EXPECT_TRUE(all_files_exist());
    EXPECT_TRUE(deletions().empty());
    EXPECT_FALSE(contains(journal({"list"}).standard_output, "purge"));
}

TEST_F(CameraRetention, PastRetentionDeletesEachFileAndRecordsItInTheIndexAndTheJournal) {
    const auto files = indexed();
    const auto purge = camera({"purge", "--at", two_years_on()});
    ASSERT_EQ(purge.exit_code, 0) << purge.standard_error;
    for (const auto& segment : files) {
        EXPECT_FALSE(fs::exists(temp / "recordings" / segment.file)) << segment.file;
    }
    const auto deleted = deletions();
    ASSERT_EQ(deleted.size(), files.size());
    EXPECT_EQ(deleted[0].actor, "Technician");
    EXPECT_TRUE(contains(deleted[0].reason, "retention: kept until ")) << deleted[0].reason;
    // The index keeps the segments' rows: a deletion is a row of its own.
    EXPECT_EQ(indexed().size(), files.size());

    const auto listed = journal({"list", "--json"});
    const auto entries = nlohmann::json::parse(listed.standard_output)["entries"];
    int purges = 0;
    for (const auto& entry : entries) {
        if (entry["kind"] == "purge") {
            ++purges;
            EXPECT_TRUE(contains(entry["note"].get<std::string>(),
                                 "files " + std::to_string(files.size()) + " bytes "))
                << entry.dump();
            EXPECT_EQ(entry["actor"], "Technician");
            // Judged with --at two years on: the journal says the clock was shifted.
            EXPECT_TRUE(contains(entry["note"].get<std::string>(), "(shifted clock)"))
                << entry.dump();
        }
    }
    EXPECT_EQ(purges, 1);
    EXPECT_TRUE(contains(journal({"list", "--html"}).standard_output, "purge"));

    // Coverage tells the commission where the video went, not that it is missing.
    const auto from =
        exam::format_utc(std::chrono::ceil<std::chrono::seconds>(files.front().started));
    const auto to = exam::format_utc(std::chrono::floor<std::chrono::seconds>(files.back().ended));
    const auto coverage = camera({"coverage", "--from", from, "--to", to});
    EXPECT_EQ(coverage.exit_code, 0) << coverage.standard_output;
    EXPECT_TRUE(contains(coverage.standard_output, "deleted after retention on "))
        << coverage.standard_output;

    // A second run finds nothing more to delete, and writes no entry for nothing.
    const auto again = camera({"purge", "--at", two_years_on()});
    EXPECT_EQ(again.exit_code, 0) << again.standard_error;
    EXPECT_EQ(deletions().size(), files.size());
}

TEST_F(CameraRetention, NothingHeldIsDeletedUntilTheHoldIsReleased) {
    const auto hold = camera({"hold", "--room", "0101", "--reason", "appeal No. 17"});
    ASSERT_EQ(hold.exit_code, 0) << hold.standard_error;
    EXPECT_TRUE(contains(hold.standard_output, "Hold 1 placed")) << hold.standard_output;

    const auto held = camera({"purge", "--at", two_years_on()});
    EXPECT_EQ(held.exit_code, 0) << held.standard_error;
    EXPECT_TRUE(contains(held.standard_output, "kept: hold 1")) << held.standard_output;
    EXPECT_TRUE(all_files_exist());
    EXPECT_TRUE(deletions().empty());

    const auto holds = camera({"holds"});
    EXPECT_EQ(holds.exit_code, 0) << holds.standard_error;
    EXPECT_TRUE(contains(holds.standard_output, "appeal No. 17")) << holds.standard_output;
    EXPECT_TRUE(contains(holds.standard_output, "room 0101")) << holds.standard_output;

    EXPECT_EQ(camera({"release", "2", "--reason", "no such hold"}).exit_code, 64);
    const auto release = camera({"release", "1", "--reason", "appeal closed"});
    ASSERT_EQ(release.exit_code, 0) << release.standard_error;
    EXPECT_TRUE(contains(camera({"holds"}).standard_output, "appeal closed"));

    const auto purge = camera({"purge", "--at", two_years_on()});
    EXPECT_EQ(purge.exit_code, 0) << purge.standard_error;
    EXPECT_EQ(deletions().size(), indexed().size());

    // Both are equipment events: in the journal and on the paper equipment journal.
    const auto html = journal({"list", "--html"}).standard_output;
    EXPECT_TRUE(contains(html, "hold")) << html;
    EXPECT_TRUE(contains(html, "release")) << html;
    EXPECT_TRUE(contains(html, "appeal No. 17")) << html;
}

TEST_F(CameraRetention, AHoldNeedsAReasonAndSomethingToHold) {
    EXPECT_EQ(camera({"hold", "--room", "0101"}).exit_code, 64);
    EXPECT_EQ(camera({"hold", "--reason", "x"}).exit_code, 64);
    EXPECT_EQ(camera({"hold", "--room", "0102", "--reason", "x"}).exit_code, 64);
}

TEST_F(CameraRetention, APurgeWhoseJournalEntryCannotBeWrittenDeletesNothingAndFails74) {
    fs::rename(temp / "data/journal.sqlite", temp / "journal-elsewhere.sqlite");
    const auto purge = camera({"purge", "--at", two_years_on()});
    EXPECT_EQ(purge.exit_code, 74) << purge.standard_output;
    EXPECT_TRUE(contains(purge.standard_error, "nothing was deleted")) << purge.standard_error;
    EXPECT_TRUE(all_files_exist());
    EXPECT_TRUE(deletions().empty());
}

// --- coverage, against a real RTSP camera ---------------------------------------------------

namespace {

class CameraCoverage : public CameraArchiveTest {
protected:
    void SetUp() override {
        m_camera = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"/usr/bin/python3",
                                     EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
                                     "front=live"},
            temp / "rtsp.log");
        const auto ready = m_camera->wait_for_line("READY ", 20s);
        ASSERT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
        make_site("rtsp://127.0.0.1:" + ready->substr(6) + "/front");
    }

    // The reason coverage gives for the recorder's stop: its journal entry's reason and actor
    // (the recorder runs as whoever runs the tests).
    std::string switched_off_by_ctrl_c() const {
        const auto listed = journal({"list", "--json"});
        const auto report = nlohmann::json::parse(listed.standard_output);
        for (const auto& entry : report["entries"]) {
            if (entry["kind"] == "recording-stop") {
                EXPECT_EQ(entry["reason"], "ctrl-c");
                return "recording switched off (ctrl-c) by " + entry["actor"].get<std::string>();
            }
        }
        ADD_FAILURE() << "no recording-stop in the journal: " << listed.standard_output
                      << listed.standard_error;
        return {};
    }

    // Whole seconds inside what was recorded, as a person would type them (RFC 3339, UTC).
    static std::string after(exam::TimePoint time) {
        return exam::format_utc(std::chrono::ceil<std::chrono::seconds>(time));
    }
    static std::string before(exam::TimePoint time) {
        return exam::format_utc(std::chrono::floor<std::chrono::seconds>(time));
    }

    std::unique_ptr<BackgroundProcess> m_camera;
};

}  // namespace

TEST_F(CameraCoverage, ACameraStoppedForAWhileIsAGapWithItsReason) {
    record_until(2, "record-1.log");
    const auto stopped_at = exam::now();
    // The pause is the scenario itself: the camera is switched off for a few seconds.
    ASSERT_TRUE(exam::testing::eventually([&] { return exam::now() > stopped_at + 3s; }, 10s));
    const std::size_t first_run = indexed().size();
    record_until(first_run + 2, "record-2.log");

    const auto segments = indexed();
    const auto from = after(segments.front().started);
    const auto to = before(segments.back().ended);
    const auto reason = switched_off_by_ctrl_c();
    const auto text = camera({"coverage", "--from", from, "--to", to});
    std::string rows;
    for (const auto& segment : segments) {
        rows += exam::format_utc(segment.started) + " " + exam::format_utc(segment.ended) + "\n";
    }
    EXPECT_EQ(text.exit_code, 0) << text.standard_output << text.standard_error << rows
                                 << journal({"list"}).standard_output;
    EXPECT_TRUE(contains(text.standard_output, reason)) << text.standard_output;
    EXPECT_TRUE(contains(text.standard_output, "recorded or explained")) << text.standard_output;

    const auto json = camera({"coverage", "--from", from, "--to", to, "--json"});
    ASSERT_EQ(json.exit_code, 0) << json.standard_error;
    const auto report = nlohmann::json::parse(json.standard_output);
    EXPECT_TRUE(report["complete"].get<bool>());
    const auto& front = report["cameras"][0];
    EXPECT_EQ(front["camera"], "front");
    EXPECT_EQ(front["missing_ms"], 0);
    EXPECT_GE(front["gaps_ms"].get<std::int64_t>(), 3000);
    bool switched_off = false;
    for (const auto& stretch : front["stretches"]) {
        switched_off = switched_off || (stretch["state"] == "gap" && stretch["reason"] == reason);
        EXPECT_TRUE(contains(stretch["from"].get<std::string>(), "Z")) << stretch.dump();
    }
    EXPECT_TRUE(switched_off) << front.dump(2);
}

TEST_F(CameraCoverage, TimeWithNoRecordingAndNoExplanationIsMissingAndExits2) {
    record_until(2, "record.log");
    const auto segments = indexed();
    // A minute before the recorder was first started: nothing explains it.
    const auto from = before(segments.front().started - std::chrono::minutes{1});
    const auto to = before(segments.back().ended);
    const auto text = camera({"coverage", "--from", from, "--to", to});
    EXPECT_EQ(text.exit_code, 2) << text.standard_output << text.standard_error;
    EXPECT_TRUE(contains(text.standard_output, "MISSING: 0101 / front")) << text.standard_output;
    EXPECT_TRUE(contains(text.standard_output, "exam-journal")) << text.standard_output;

    const auto json =
        camera({"coverage", "--from", from, "--to", to, "--json", "--camera", "front"});
    EXPECT_EQ(json.exit_code, 2);
    const auto report = nlohmann::json::parse(json.standard_output);
    EXPECT_FALSE(report["complete"].get<bool>());
    EXPECT_GE(report["cameras"][0]["missing_ms"].get<std::int64_t>(), 59000);
}
