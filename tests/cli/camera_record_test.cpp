// exam-camera record against a real RTSP camera (GStreamer's RTSP server, tests/fixtures):
// the segments it leaves are judged by ffprobe and sha256sum, the index and the journal by
// their own readers.
#include <fstream>
#include <functional>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/mount.h>
#include <sys/wait.h>

#include <exam/recording/segment_index.hpp>
#include <exam/util/error.hpp>
#include <exam/util/time.hpp>

#include "support/background_process.hpp"
#include "support/recordings.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::BackgroundProcess;
using exam::testing::run_program;
using exam::testing::run_tool;
using namespace std::chrono_literals;

class CameraRecord : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        m_camera = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"/usr/bin/python3",
                                     EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
                                     "front=live"},
            temp / "rtsp.log");
        const auto ready = m_camera->wait_for_line("READY ", 20s);
        ASSERT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
        m_port = ready->substr(6);
        temp.write(
            "site.toml",
            "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
            "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\nreserve = \"1MB\"\n"
            "[[room]]\nid = \"0101\"\n[[room.camera]]\nid = \"front\"\n"
            "uri = \"rtsp://127.0.0.1:" +
                ready->substr(6) + "/front\"\n");
        m_env = {{"EXAM_SITE", (temp / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
        // The server's journal, as on an exam point: every test's site here names the same
        // exam point, and a recording without its journal fails (journal_evidence_test.cpp).
        const auto init =
            run_tool(EXAM_JOURNAL_BIN,
                     {.args = {"init"}, .working_directory = temp.path(), .environment = m_env});
        ASSERT_EQ(init.exit_code, 0) << init.standard_error;
    }

    std::vector<exam::SegmentRecord> indexed() const {
        return exam::testing::indexed_segments(temp / "recordings");
    }

    // The same camera again, on the same port, as after a power cut.
    void restart_camera() {
        m_camera = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"/usr/bin/python3",
                                     EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--port",
                                     m_port, "--mount", "front=live"},
            temp / "rtsp-again.log");
        ASSERT_TRUE(m_camera->wait_for_line("READY ", 20s))
            << exam::testing::read_file(temp / "rtsp-again.log");
    }

    // The bytes in the camera's open segment so far (0 while there is none).
    std::uintmax_t partial_size(const std::string& camera) const {
        std::error_code missing;
        for (const auto& entry :
             fs::directory_iterator(temp / "recordings/0101" / camera, missing)) {
            if (entry.path().extension() == ".partial") {
                return fs::file_size(entry.path(), missing);
            }
        }
        return 0;
    }

    std::vector<exam::GapRecord> gaps() const {
        try {
            return exam::SegmentIndex::open_read_only(
                       exam::SegmentIndex::file_in(temp / "recordings"))
                .gaps();
        } catch (const exam::Error&) {
            return {};
        }
    }

    std::unique_ptr<BackgroundProcess> m_camera;
    std::string m_port;
    std::vector<std::pair<std::string, std::string>> m_env;
};

}  // namespace

TEST_F(CameraRecord, SegmentsPlayCoverTheWallTimeAndTheirHashesAreInTheJournal) {
    std::vector<std::string> argv{EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(),
                                  "record", "--all"};
    BackgroundProcess recorder(argv, temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually([&] { return indexed().size() >= 3; }, 60s))
        << exam::testing::read_file(temp / "record.log");
    const int status = recorder.stop(10s);
    ASSERT_TRUE(WIFEXITED(status)) << exam::testing::read_file(temp / "record.log");
    EXPECT_EQ(WEXITSTATUS(status), 0) << exam::testing::read_file(temp / "record.log");

    const auto segments = indexed();
    ASSERT_GE(segments.size(), 3u);
    std::string checksums;
    std::chrono::milliseconds covered{0};
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& segment = segments[i];
        const fs::path file = temp / "recordings" / segment.file;
        ASSERT_TRUE(fs::exists(file)) << segment.file;
        EXPECT_EQ(fs::file_size(file), segment.bytes);
        // ffprobe counts the frames the index claims, and a duration that matches media time.
        const auto probe =
            run_program({"ffprobe", "-v", "error", "-count_frames", "-show_entries",
                         "stream=codec_name,nb_read_frames", "-show_entries",
                         "format=duration:format_tags=title", "-of", "json", file.string()});
        ASSERT_EQ(probe.exit_code, 0) << probe.standard_error;
        const auto json = nlohmann::json::parse(probe.standard_output);
        EXPECT_EQ(json["streams"][0]["codec_name"], "h264");
        // The file says which camera it is to any player.
        EXPECT_EQ(json["format"]["tags"]["title"], "room 0101, camera front");
        EXPECT_EQ(std::stoull(json["streams"][0]["nb_read_frames"].get<std::string>()),
                  segment.frames);
        const double seconds = std::stod(json["format"]["duration"].get<std::string>());
        EXPECT_NEAR(seconds * 1000.0,
                    static_cast<double>(segment.media_end_ms - segment.media_start_ms), 120.0)
            << segment.file;
        covered += segment.ended - segment.started;
        if (i > 0) {
            // One segment starts where the previous stopped. Its wall time is taken at its
            // first packet, after the previous one was synced, hashed, indexed and journalled,
            // which takes longer on a busy machine: the bound is the second a crash may lose,
            // not a speed (the packets wait in the socket meanwhile).
            EXPECT_LT(segment.started - segments[i - 1].ended, 1s) << segment.file;
        }
        checksums += segment.sha256 + "  " + segment.file + "\n";
    }
    const auto span = segments.back().ended - segments.front().started;
    EXPECT_GE(covered.count(), span.count() * 9 / 10);

    temp.write("recordings/SHA256SUMS", checksums);
    const auto check = run_program({"sha256sum", "-c", "SHA256SUMS"}, temp / "recordings");
    EXPECT_EQ(check.exit_code, 0) << check.standard_output << check.standard_error;

    // Nothing half-written is left behind by a clean stop.
    for (const auto& entry : fs::recursive_directory_iterator(temp / "recordings")) {
        EXPECT_NE(entry.path().extension(), ".partial") << entry.path();
    }

    const auto list = run_tool(EXAM_JOURNAL_BIN, {.args = {"list", "--json", "--kind", "segment"},
                                                  .working_directory = temp.path(),
                                                  .environment = m_env});
    const auto journal = nlohmann::json::parse(list.standard_output);
    ASSERT_EQ(journal["entries"].size(), segments.size()) << list.standard_output;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string note = journal["entries"][i]["note"];
        EXPECT_NE(note.find(segments[i].sha256), std::string::npos) << note;
        EXPECT_EQ(journal["entries"][i]["camera"], "front");
    }
}

TEST_F(CameraRecord, SayingWhichCamerasIsRequiredAndUnknownOnesAreRefused) {
    const auto none = run_tool(EXAM_CAMERA_BIN, {.args = {"record"}, .environment = m_env});
    EXPECT_EQ(none.exit_code, 64);
    EXPECT_NE(none.standard_error.find("--all, --room ROOM or --camera CAMERA"), std::string::npos)
        << none.standard_error;
    const auto unknown =
        run_tool(EXAM_CAMERA_BIN, {.args = {"record", "--camera", "side"}, .environment = m_env});
    EXPECT_EQ(unknown.exit_code, 64);
    EXPECT_NE(unknown.standard_error.find("--camera side: the site has no such camera"),
              std::string::npos)
        << unknown.standard_error;
}

TEST_F(CameraRecord, ACameraDownForTenSecondsIsOneGapOfAboutThatLengthAndRecordingGoesOn) {
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--camera", "front"},
        temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually([&] { return !indexed().empty(); }, 60s))
        << exam::testing::read_file(temp / "record.log");
    m_camera->stop();
    const auto down = std::chrono::steady_clock::now();
    // Ten seconds without the camera, measured, not slept through blindly: the recorder keeps
    // trying meanwhile, and that is what is being tested.
    ASSERT_FALSE(exam::testing::eventually([&] { return !gaps().empty(); }, 10s))
        << "a gap was closed while the camera was still down";
    restart_camera();
    const auto up = std::chrono::steady_clock::now();
    const std::size_t before = indexed().size();
    ASSERT_TRUE(exam::testing::eventually([&] { return indexed().size() >= before + 2; }, 60s))
        << exam::testing::read_file(temp / "record.log");
    const int status = recorder.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    const auto found = gaps();
    ASSERT_EQ(found.size(), 1u) << exam::testing::read_file(temp / "record.log");
    const auto outage = std::chrono::duration_cast<std::chrono::milliseconds>(up - down);
    const auto gap = found[0].ended - found[0].started;
    EXPECT_GE(gap, outage - 1500ms) << found[0].reason;
    EXPECT_LE(gap, outage + 4000ms) << found[0].reason;  // the reconnect pace is two seconds
    EXPECT_FALSE(found[0].reason.empty());
    // The segments around the gap end and start where the gap does.
    const auto segments = indexed();
    const auto after = std::find_if(segments.begin(), segments.end(),
                                    [&](const auto& s) { return s.started >= found[0].ended; });
    ASSERT_NE(after, segments.end());
    EXPECT_LT(after->started - found[0].ended, 1000ms);
}

TEST_F(CameraRecord, AKill9LosesAboutASecondAndTheRestartRecoversTheOpenSegment) {
    const std::vector<std::string> argv{EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(),
                                        "record", "--all"};
    const fs::path folder = temp / "recordings" / "0101" / "front";
    exam::TimePoint killed_at;
    {
        BackgroundProcess recorder(argv, temp / "record.log");
        ASSERT_TRUE(exam::testing::eventually([&] { return !indexed().empty(); }, 60s))
            << exam::testing::read_file(temp / "record.log");
        // Kill it in the middle of a segment that has synced at least one fragment.
        ASSERT_TRUE(exam::testing::eventually(
            [&] {
                for (const auto& entry : fs::directory_iterator(folder)) {
                    if (entry.path().extension() == ".partial" && entry.file_size() > 60000) {
                        return true;
                    }
                }
                return false;
            },
            30s));
        recorder.kill_now();
        killed_at = exam::now();
    }
    const std::size_t before = indexed().size();
    BackgroundProcess again(argv, temp / "record-again.log");
    ASSERT_TRUE(exam::testing::eventually([&] { return indexed().size() >= before + 2; }, 60s))
        << exam::testing::read_file(temp / "record-again.log");
    const int status = again.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    const auto segments = indexed();
    const auto recovered = std::find_if(segments.begin(), segments.end(),
                                        [](const auto& segment) { return segment.recovered; });
    ASSERT_NE(recovered, segments.end()) << exam::testing::read_file(temp / "record-again.log");
    EXPECT_EQ(std::count_if(segments.begin(), segments.end(),
                            [](const auto& segment) { return segment.recovered; }),
              1);
    EXPECT_GT(recovered->frames, 0u);
    // What was lost: from the recovered segment's end to the kill. The recovered start is
    // known to the second (its name), so allow that on top of the second a fragment spans.
    EXPECT_LE(killed_at - recovered->ended, 2000ms) << recovered->file;

    // Every file plays, is indexed, and hashes as indexed; nothing half-written is left.
    std::string checksums;
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.path().filename() == ".recorder.lock") {
            continue;  // the recorder's lock (docs/recording-format.md), no recording
        }
        ASSERT_EQ(entry.path().extension(), ".mp4") << entry.path();
        ++files;
        const auto probe = run_program(
            {"ffprobe", "-v", "error", "-show_entries", "format=duration", entry.path().string()});
        EXPECT_EQ(probe.exit_code, 0) << entry.path() << probe.standard_error;
    }
    EXPECT_EQ(files, segments.size());
    for (const auto& segment : segments) {
        checksums += segment.sha256 + "  " + segment.file + "\n";
    }
    temp.write("recordings/SHA256SUMS", checksums);
    EXPECT_EQ(run_program({"sha256sum", "-c", "SHA256SUMS"}, temp / "recordings").exit_code, 0);

    const auto found = gaps();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].reason.find("stopped unexpectedly"), std::string::npos) << found[0].reason;
    EXPECT_EQ(found[0].started, recovered->ended);
}

// Found by scripts/soak/service-kill.py: a kill between a finished segment's rename and its
// row in the index left a playable file nobody knew of — neither exported nor counted, and no
// gap after it. The restart now indexes such a file as recovered, and the gap starts at its end.
TEST_F(CameraRecord, ASegmentFinishedButNotIndexedWhenTheRecorderDiedIsIndexedAtTheRestart) {
    const std::vector<std::string> argv{EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(),
                                        "record", "--all"};
    const fs::path folder = temp / "recordings" / "0101" / "front";
    {
        BackgroundProcess recorder(argv, temp / "record.log");
        ASSERT_TRUE(exam::testing::eventually([&] { return indexed().size() >= 2; }, 60s))
            << exam::testing::read_file(temp / "record.log");
        ASSERT_EQ(recorder.stop(10s), 0);
    }
    // The crash's leftover: a finished segment, named for a moment after the last indexed one,
    // that never reached the index.
    const auto last = indexed().back();
    const std::string orphan_name = fmt::format(
        "{:%Y%m%dT%H%M%S}Z.mp4", std::chrono::floor<std::chrono::seconds>(last.ended + 2s));
    fs::copy_file(temp / "recordings" / last.file, folder / orphan_name);
    const std::size_t before = indexed().size();
    {
        BackgroundProcess again(argv, temp / "record-again.log");
        ASSERT_TRUE(exam::testing::eventually([&] { return indexed().size() >= before + 2; }, 60s))
            << exam::testing::read_file(temp / "record-again.log");
        ASSERT_EQ(again.stop(10s), 0);
    }
    const auto segments = indexed();
    const auto recovered =
        std::find_if(segments.begin(), segments.end(), [&](const exam::SegmentRecord& segment) {
            return segment.file == "0101/front/" + orphan_name;
        });
    ASSERT_NE(recovered, segments.end()) << exam::testing::read_file(temp / "record-again.log");
    EXPECT_TRUE(recovered->recovered);
    EXPECT_GT(recovered->frames, 0u);
    // Every file in the camera's folder is indexed; the gap after the crash starts at its end.
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
        files += entry.path().extension() == ".mp4" ? 1U : 0U;
        EXPECT_NE(entry.path().extension(), ".crashed") << entry.path();
    }
    EXPECT_EQ(files, segments.size());
    const auto found = gaps();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].started, recovered->ended);
}

TEST_F(CameraRecord, TheWatchdogCatchesACameraThatStaysConnectedButSendsNothing) {
    // A second camera that stalls after two seconds, with a two-second watchdog; the first
    // camera must not notice.
    BackgroundProcess stalling(
        {"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
         "side=stall:2"},
        temp / "stall.log");
    const auto ready = stalling.wait_for_line("READY ", 20s);
    ASSERT_TRUE(ready) << exam::testing::read_file(temp / "stall.log");
    temp.write("site.toml",
               "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
               "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\nreserve = \"1MB\"\n"
               "watchdog = \"2s\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\n"
               "id = \"front\"\nuri = \"rtsp://127.0.0.1:" +
                   m_port +
                   "/front\"\n[[room.camera]]\nid = \"side\"\n"
                   "uri = \"rtsp://127.0.0.1:" +
                   ready->substr(6) + "/side\"\n");
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    const auto side_recorded = [&] {
        const auto all = indexed();
        return std::any_of(all.begin(), all.end(),
                           [](const auto& segment) { return segment.camera == "side"; });
    };
    // The stalled camera's open segment is closed when the watchdog fires.
    ASSERT_TRUE(exam::testing::eventually(side_recorded, 60s))
        << exam::testing::read_file(temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually(
        [&] {
            const auto all = indexed();
            return std::count_if(all.begin(), all.end(), [](const auto& segment) {
                       return segment.camera == "front";
                   }) >= 4;
        },
        60s));
    const int status = recorder.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    const auto side_gaps =
        exam::SegmentIndex::open_read_only(exam::SegmentIndex::file_in(temp / "recordings"))
            .gaps("side");
    ASSERT_EQ(side_gaps.size(), 1u) << exam::testing::read_file(temp / "record.log");
    EXPECT_NE(side_gaps[0].reason.find("sent nothing for 2s"), std::string::npos)
        << side_gaps[0].reason;
    EXPECT_TRUE(exam::SegmentIndex::open_read_only(exam::SegmentIndex::file_in(temp / "recordings"))
                    .gaps("front")
                    .empty());
}

TEST_F(CameraRecord, ACameraThatChangesItsPictureSizeStartsANewSegment) {
    // 640x360 for three seconds, then 320x180 in the same session; segments of a minute, so
    // the only cut is the change.
    BackgroundProcess resizing(
        {"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
         "side=resize:3"},
        temp / "resize.log");
    const auto ready = resizing.wait_for_line("READY ", 20s);
    ASSERT_TRUE(ready) << exam::testing::read_file(temp / "resize.log");
    temp.write("site.toml",
               "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
               "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"60s\"\n"
               "reserve = \"1MB\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\n"
               "id = \"side\"\nuri = \"rtsp://127.0.0.1:" +
                   ready->substr(6) + "/side\"\n");
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually([&] { return !indexed().empty(); }, 60s))
        << exam::testing::read_file(temp / "record.log");
    const int status = recorder.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const std::string log = exam::testing::read_file(temp / "record.log");
    EXPECT_NE(log.find("side: the camera changed its stream to h264 320x180; a new segment "
                       "starts"),
              std::string::npos)
        << log;

    const auto segments = indexed();
    ASSERT_EQ(segments.size(), 2u) << log;
    const char* sizes[] = {"640x360", "320x180"};
    for (std::size_t i = 0; i < 2; ++i) {
        // Each segment's own header describes its frames, and every frame decodes.
        const auto probe = run_program({"ffprobe", "-v", "error", "-count_frames", "-show_entries",
                                        "stream=width,height,nb_read_frames", "-of", "json",
                                        (temp / "recordings" / segments[i].file).string()});
        ASSERT_EQ(probe.exit_code, 0) << probe.standard_error;
        const auto stream = nlohmann::json::parse(probe.standard_output)["streams"][0];
        EXPECT_EQ(fmt::format("{}x{}", stream["width"].get<int>(), stream["height"].get<int>()),
                  sizes[i])
            << segments[i].file;
        EXPECT_EQ(std::stoull(stream["nb_read_frames"].get<std::string>()), segments[i].frames)
            << probe.standard_error;
    }
    // Nothing lost at the change: the second segment starts a frame after the first ends.
    EXPECT_GT(segments[1].media_start_ms, segments[0].media_end_ms);
    EXPECT_LE(segments[1].media_start_ms - segments[0].media_end_ms, 100);
}

namespace {

// Two seconds of H.264 at 25 frames/s, a keyframe a second, made by the test with ffmpeg.
fs::path make_rehearsal_file(const exam::testing::TempDir& temp) {
    const fs::path file = temp / "rehearsal.mp4";
    const auto made = run_program({"ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                                   "testsrc=size=320x180:rate=25", "-t", "2", "-c:v", "libx264",
                                   "-bf", "0", "-g", "25", "-pix_fmt", "yuv420p", file.string()});
    EXPECT_EQ(made.exit_code, 0) << made.standard_error;
    return file;
}

// Each segment decodes to the frames the index claims, the next one starts a frame after it in
// media time, and (for a source played at its own pace) its wall time spans its media time.
// A network stream's first segment arrives partly in a burst: what was read while probing.
void expect_continuous_playable_segments(const fs::path& recordings,
                                         const std::vector<exam::SegmentRecord>& segments,
                                         bool paced) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& segment = segments[i];
        const auto probe = run_program({"ffprobe", "-v", "error", "-count_frames", "-show_entries",
                                        "stream=codec_name,nb_read_frames", "-of", "json",
                                        (recordings / segment.file).string()});
        ASSERT_EQ(probe.exit_code, 0) << probe.standard_error;
        const auto stream = nlohmann::json::parse(probe.standard_output)["streams"][0];
        EXPECT_EQ(stream["codec_name"], "h264");
        EXPECT_EQ(std::stoull(stream["nb_read_frames"].get<std::string>()), segment.frames)
            << segment.file;
        const auto wall_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(segment.ended - segment.started)
                .count();
        if (paced) {
            EXPECT_NEAR(static_cast<double>(wall_ms),
                        static_cast<double>(segment.media_end_ms - segment.media_start_ms), 300.0)
                << segment.file;
        }
        if (i > 0) {
            EXPECT_GT(segment.media_start_ms, segments[i - 1].media_end_ms) << segment.file;
            EXPECT_LE(segment.media_start_ms - segments[i - 1].media_end_ms, 100) << segment.file;
        }
    }
}

std::uint64_t total_frames(const std::vector<exam::SegmentRecord>& segments) {
    std::uint64_t frames = 0;
    for (const auto& segment : segments) {
        frames += segment.frames;
    }
    return frames;
}

}  // namespace

namespace {

// A site whose cameras are at these addresses (id = address), in room 0101.
std::string site_with_cameras(const std::vector<std::pair<std::string, std::string>>& cameras) {
    std::string site =
        "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
        "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"60s\"\nreserve = \"1MB\"\n"
        "[[room]]\nid = \"0101\"\n";
    for (const auto& [id, uri] : cameras) {
        site += "[[room.camera]]\nid = \"" + id + "\"\nuri = \"" + uri + "\"\n";
    }
    return site;
}

}  // namespace

TEST_F(CameraRecord, ACameraThatWantsAPasswordIsRecordedWithTheOneInItsAddress) {
    // Digest, as IP cameras ask; one camera with the right password, one with a wrong one.
    BackgroundProcess guarded({"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py",
                               "--mount", "door=live", "--auth", "operator:s3cret"},
                              temp / "guarded.log");
    const auto ready = guarded.wait_for_line("READY ", 20s);
    ASSERT_TRUE(ready) << exam::testing::read_file(temp / "guarded.log");
    const std::string at = "@127.0.0.1:" + ready->substr(6) + "/door";
    temp.write("site.toml", site_with_cameras({{"door", "rtsp://operator:s3cret" + at},
                                               {"wrong", "rtsp://operator:guess" + at}}));
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually(
        [&] {
            return exam::testing::read_file(temp / "record.log").find("door: recording") !=
                   std::string::npos;
        },
        30s))
        << exam::testing::read_file(temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually([&] { return partial_size("door") > 50'000; }, 30s));
    const int status = recorder.stop(10s);
    // The camera with the wrong password never gave a picture: 69 (docs/exit-codes.md).
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 69);
    const std::string log = exam::testing::read_file(temp / "record.log");

    const auto segments = indexed();
    ASSERT_EQ(segments.size(), 1u) << log;
    EXPECT_EQ(segments[0].camera, "door");
    const auto probe = run_program({"ffprobe", "-v", "error", "-count_frames", "-show_entries",
                                    "stream=codec_name,nb_read_frames", "-of", "json",
                                    (temp / "recordings" / segments[0].file).string()});
    ASSERT_EQ(probe.exit_code, 0) << probe.standard_error;
    const auto stream = nlohmann::json::parse(probe.standard_output)["streams"][0];
    EXPECT_EQ(stream["codec_name"], "h264");
    EXPECT_EQ(std::stoull(stream["nb_read_frames"].get<std::string>()), segments[0].frames);
    // The wrong password is the whole recording's gap, with its reason, and never in it.
    const auto outages = gaps();
    ASSERT_EQ(outages.size(), 1u) << log;
    EXPECT_EQ(outages[0].camera, "wrong");
    EXPECT_EQ(outages[0].reason, "the camera refused the user name and password in its address");
    EXPECT_EQ(log.find("guess"), std::string::npos) << log;
}

TEST_F(CameraRecord, TheSessionIsKeptAliveAtHalfTheCamerasTimeout) {
    // A camera whose sessions time out after two seconds without a request (real ones say
    // 60): the recorder asks it something every second, and the recording is unbroken.
    BackgroundProcess strict({"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py",
                              "--mount", "hall=live", "--session-timeout", "2"},
                             temp / "strict.log");
    const auto ready = strict.wait_for_line("READY ", 20s);
    ASSERT_TRUE(ready) << exam::testing::read_file(temp / "strict.log");
    temp.write("site.toml",
               site_with_cameras({{"hall", "rtsp://127.0.0.1:" + ready->substr(6) + "/hall"}}));
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    const auto keep_alives = [&] {
        const std::string said = exam::testing::read_file(temp / "strict.log");
        std::size_t count = 0;
        for (std::size_t at = said.find("REQUEST GET_PARAMETER"); at != std::string::npos;
             at = said.find("REQUEST GET_PARAMETER", at + 1)) {
            ++count;
        }
        return count;
    };
    // Three keep-alives are three of the camera's timeouts' halves, about three seconds.
    ASSERT_TRUE(exam::testing::eventually([&] { return keep_alives() >= 3; }, 30s))
        << exam::testing::read_file(temp / "strict.log");
    const int status = recorder.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const std::string log = exam::testing::read_file(temp / "record.log");
    EXPECT_TRUE(gaps().empty()) << log;
    const auto segments = indexed();
    ASSERT_EQ(segments.size(), 1u) << log;
    EXPECT_GE(segments[0].media_end_ms - segments[0].media_start_ms, 2000) << log;
}

TEST_F(CameraRecord, ASecondRecorderLeavesTheCameraToTheFirst) {
    temp.write("site.toml",
               site_with_cameras({{"front", "rtsp://127.0.0.1:" + m_port + "/front"}}));
    BackgroundProcess first(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "first.log");
    ASSERT_TRUE(exam::testing::eventually([&] { return partial_size("front") > 0; }, 30s))
        << exam::testing::read_file(temp / "first.log");
    // Another terminal starts the same recording: it records nothing and says why.
    const auto second = run_tool(
        EXAM_CAMERA_BIN, {.args = {"--site", (temp / "site.toml").string(), "record", "--all"},
                          .environment = m_env});
    EXPECT_EQ(second.exit_code, 69) << second.standard_error;
    EXPECT_NE(second.standard_error.find("front: ALARM: another recorder is recording this "
                                         "camera already"),
              std::string::npos)
        << second.standard_error;
    EXPECT_NE(second.standard_error.find("another exam-camera record is recording front "
                                         "already; nothing was recorded by this one"),
              std::string::npos)
        << second.standard_error;
    const int status = first.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const auto segments = indexed();
    ASSERT_EQ(segments.size(), 1u);
    EXPECT_TRUE(gaps().empty()) << "the second recorder wrote nothing into the index";
}

namespace {

// Serves one camera of the RTSP fixture's `kind` (live265, ts, ...), records it until its
// open segment holds `bytes`, stops the recorder cleanly; the recorder's terminal output.
std::string record_one_fixture_camera(const exam::testing::TempDir& temp, const std::string& id,
                                      const std::string& kind, std::uintmax_t bytes,
                                      const std::function<std::uintmax_t()>& recorded) {
    BackgroundProcess camera({"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py",
                              "--mount", id + "=" + kind},
                             temp / "camera.log");
    const auto ready = camera.wait_for_line("READY ", 20s);
    EXPECT_TRUE(ready) << exam::testing::read_file(temp / "camera.log");
    if (!ready) {
        return {};
    }
    temp.write("site.toml",
               site_with_cameras({{id, "rtsp://127.0.0.1:" + ready->substr(6) + "/" + id}}));
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    EXPECT_TRUE(exam::testing::eventually([&] { return recorded() > bytes; }, 30s))
        << exam::testing::read_file(temp / "record.log");
    const int status = recorder.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return exam::testing::read_file(temp / "record.log");
}

// What ffprobe finds in a segment's video stream, every frame decoded.
nlohmann::json probe_video(const fs::path& file) {
    const auto probe = run_program({"ffprobe", "-v", "error", "-count_frames", "-show_entries",
                                    "stream=codec_name,width,height,nb_read_frames", "-of", "json",
                                    file.string()});
    EXPECT_EQ(probe.exit_code, 0) << probe.standard_error;
    const auto json = nlohmann::json::parse(probe.standard_output, nullptr, false);
    return json.is_discarded() ? nlohmann::json{} : json["streams"][0];
}

}  // namespace

TEST_F(CameraRecord, ACameraWhoseFolderCannotBeMadeIsAStorageErrorNotASilence) {
    // A file where the camera's folder should be: that camera cannot even begin; the other
    // is recorded, and the run ends with 74 naming the camera and why.
    temp.write("site.toml", site_with_cameras({{"front", "rtsp://127.0.0.1:" + m_port + "/front"},
                                               {"side", "rtsp://127.0.0.1:" + m_port + "/front"}}));
    temp.write("recordings/0101/side", "not a folder");
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually([&] { return partial_size("front") > 20'000; }, 30s))
        << exam::testing::read_file(temp / "record.log");
    const int status = recorder.stop(10s);
    const std::string log = exam::testing::read_file(temp / "record.log");
    ASSERT_TRUE(WIFEXITED(status)) << log;
    EXPECT_EQ(WEXITSTATUS(status), 74) << log;
    EXPECT_NE(log.find("side: ALARM: cannot open the recording lock"), std::string::npos) << log;
    EXPECT_NE(log.find("1 camera(s) were never recorded: side: cannot open the recording lock"),
              std::string::npos)
        << log;
    const auto segments = indexed();
    ASSERT_EQ(segments.size(), 1u) << log;
    EXPECT_EQ(segments[0].camera, "front");
}

TEST_F(CameraRecord, AnH265CameraIsRecordedAsItSendsIt) {
    const std::string log = record_one_fixture_camera(temp, "back", "live265", 50'000,
                                                      [&] { return partial_size("back"); });
    EXPECT_EQ(log.find("libavformat"), std::string::npos) << "read by our own client: " << log;
    const auto segments = indexed();
    ASSERT_EQ(segments.size(), 1u) << log;
    const auto stream = probe_video(temp / "recordings" / segments[0].file);
    EXPECT_EQ(stream["codec_name"], "hevc");
    EXPECT_EQ(stream["width"], 640);
    EXPECT_EQ(stream["height"], 360);
    EXPECT_EQ(std::stoull(stream["nb_read_frames"].get<std::string>()), segments[0].frames);
    EXPECT_TRUE(gaps().empty()) << log;
}

TEST_F(CameraRecord, AStreamOurClientDoesNotSpeakIsReadThroughLibavformat) {
    // H.264 inside MPEG-TS over RTP, as some encoders send it: our client leaves it to
    // libavformat, and the H.264 inside is copied as it came.
    const std::string log =
        record_one_fixture_camera(temp, "door", "ts", 50'000, [&] { return partial_size("door"); });
    EXPECT_NE(log.find("door: MP2T video: read through libavformat"), std::string::npos) << log;
    const auto segments = indexed();
    ASSERT_EQ(segments.size(), 1u) << log;
    const auto stream = probe_video(temp / "recordings" / segments[0].file);
    EXPECT_EQ(stream["codec_name"], "h264");
    EXPECT_EQ(std::stoull(stream["nb_read_frames"].get<std::string>()), segments[0].frames);
    EXPECT_TRUE(gaps().empty()) << log;
}

TEST_F(CameraRecord, PicturesFromAUsbCameraAreEncodedAsH264) {
    // No V4L2 device exists here: the same path (FFmpeg's reader, the decoder, the conversion
    // to 4:2:0 and the encoder) is fed by files holding what USB cameras deliver, JPEG
    // pictures and raw YUYV frames; only the reader's format differs from a device's.
    const std::vector<std::vector<std::string>> encodings{
        {"-c:v", "mjpeg", (temp / "jpeg.avi").string()},
        {"-c:v", "rawvideo", "-pix_fmt", "yuyv422", (temp / "yuyv.nut").string()}};
    for (const auto& encoding : encodings) {
        std::vector<std::string> argv{
            "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-t",     "3"};
        argv.insert(argv.end(), encoding.begin(), encoding.end());
        const auto made = run_program(argv);
        ASSERT_EQ(made.exit_code, 0) << made.standard_error;
    }
    temp.write("site.toml", site_with_cameras({{"jpeg", "file:" + (temp / "jpeg.avi").string()},
                                               {"yuyv", "file:" + (temp / "yuyv.nut").string()},
                                               {"usb", "v4l2:/dev/video-absent"}}));
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually(
        [&] { return partial_size("jpeg") > 20'000 && partial_size("yuyv") > 20'000; }, 30s))
        << exam::testing::read_file(temp / "record.log");
    const int status = recorder.stop(10s);
    const std::string log = exam::testing::read_file(temp / "record.log");
    // The device that is not there never gave a picture: the run says so and ends in 69.
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 69) << log;
    EXPECT_NE(log.find("Recorded nothing at all: usb"), std::string::npos) << log;

    const auto segments = indexed();
    ASSERT_EQ(segments.size(), 2u) << log;
    for (const auto& segment : segments) {
        const auto probe =
            run_program({"ffprobe", "-v", "error", "-count_frames", "-show_entries",
                         "stream=codec_name,width,height,pix_fmt,nb_read_frames", "-of", "json",
                         (temp / "recordings" / segment.file).string()});
        ASSERT_EQ(probe.exit_code, 0) << probe.standard_error;
        const auto stream = nlohmann::json::parse(probe.standard_output)["streams"][0];
        EXPECT_EQ(stream["codec_name"], "h264") << segment.file;
        EXPECT_EQ(stream["pix_fmt"], "yuv420p") << segment.file;
        EXPECT_EQ(stream["width"], 320);
        EXPECT_EQ(stream["height"], 240);
        EXPECT_EQ(std::stoull(stream["nb_read_frames"].get<std::string>()), segment.frames);
        EXPECT_GE(segment.frames, 10u);
    }
    // The device that is not there is a gap that says so, from start to stop.
    const auto outages = gaps();
    ASSERT_EQ(outages.size(), 1u) << log;
    EXPECT_EQ(outages[0].camera, "usb");
    EXPECT_NE(outages[0].reason.find("No such file or directory"), std::string::npos)
        << outages[0].reason;
}

TEST_F(CameraRecord, ARehearsalFileIsPlayedAsACameraAtItsOwnPaceAndLooped) {
    const fs::path file = make_rehearsal_file(temp);
    temp.write("site.toml",
               "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
               "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\n"
               "reserve = \"1MB\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\n"
               "id = \"front\"\nuri = \"file:" +
                   file.string() + "\"\n");
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    // Five seconds of picture from a two-second file: it played again and again.
    ASSERT_TRUE(exam::testing::eventually([&] { return total_frames(indexed()) >= 125; }, 60s))
        << exam::testing::read_file(temp / "record.log");
    const int status = recorder.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const auto segments = indexed();
    // Paced like a camera: the media time of what was written is the wall time it took.
    expect_continuous_playable_segments(temp / "recordings", segments, true);
    EXPECT_TRUE(exam::SegmentIndex::open_read_only(exam::SegmentIndex::file_in(temp / "recordings"))
                    .gaps()
                    .empty())
        << exam::testing::read_file(temp / "record.log");
}

TEST_F(CameraRecord, TheBuiltInTestCameraIsEncodedOnTheFlyAndRecorded) {
    temp.write("site.toml",
               "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
               "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\n"
               "reserve = \"1MB\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\n"
               "id = \"front\"\nuri = \"test:320x180@25\"\n");
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually([&] { return indexed().size() >= 2; }, 60s))
        << exam::testing::read_file(temp / "record.log");
    const int status = recorder.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const auto segments = indexed();
    // Delivered at its frame rate, like a camera, and every picture decodes.
    expect_continuous_playable_segments(temp / "recordings", segments, true);
    const auto probe = run_program({"ffprobe", "-v", "error", "-show_entries",
                                    "stream=width,height,avg_frame_rate", "-of", "csv=p=0",
                                    (temp / "recordings" / segments.front().file).string()});
    EXPECT_EQ(probe.standard_output, "320,180,25/1\n") << probe.standard_error;
    // A test camera written wrongly ("test:320x181") is refused with the site file, at its line
    // (tests/cli/hostile_files_test.cpp, tests/core/site_loader_test.cpp).
}

TEST_F(CameraRecord, AnHttpStreamIsRecordedOnceItsServerComesUp) {
    const fs::path file = make_rehearsal_file(temp);
    const std::string port = std::to_string(exam::testing::free_loopback_port());
    temp.write("site.toml",
               "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
               "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\n"
               "reserve = \"1MB\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\n"
               "id = \"front\"\nuri = \"http://127.0.0.1:" +
                   port + "/front\"\n");
    // The recorder first: the camera is not up yet, so it retries until ffmpeg's HTTP server
    // (MPEG-TS, one client) answers.
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    BackgroundProcess camera(
        {"ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", file.string(), "-c", "copy",
         "-f", "mpegts", "-listen", "1", "http://127.0.0.1:" + port + "/front"},
        temp / "http.log");
    ASSERT_TRUE(exam::testing::eventually([&] { return indexed().size() >= 2; }, 60s))
        << exam::testing::read_file(temp / "record.log")
        << exam::testing::read_file(temp / "http.log");
    const int status = recorder.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    expect_continuous_playable_segments(temp / "recordings", indexed(), false);
}

TEST_F(CameraRecord, AFullDiskStopsCleanlyWithTheReserveLeftAndTheIndexIntact) {
    // The recordings on a small disk of their own, filled up to just above the reserve.
    const fs::path recordings = temp / "recordings";
    const exam::testing::ScopedTmpfs disk{recordings, "24m"};
    ASSERT_TRUE(disk.mounted());
    temp.write("site.toml",
               "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
               "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\n"
               "reserve = \"8MB\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\n"
               "id = \"front\"\nuri = \"rtsp://127.0.0.1:" +
                   m_port + "/front\"\n");
    {
        // Leave about 9 MB free: the camera's ~100 kB/s crosses the 8 MB reserve in seconds.
        std::ofstream filler(recordings / "filler", std::ios::binary);
        const std::string block(1 << 20, 'x');
        for (int i = 0; i < 15; ++i) {
            filler.write(block.data(), static_cast<std::streamsize>(block.size()));
        }
    }
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    const auto status = recorder.wait_for_exit(90s);
    ASSERT_TRUE(status) << "the recorder did not stop on a full disk\n"
                        << exam::testing::read_file(temp / "record.log");
    ASSERT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 74) << exam::testing::read_file(temp / "record.log");
    const std::string log = exam::testing::read_file(temp / "record.log");
    EXPECT_NE(log.find("ALARM: the recordings disk is full"), std::string::npos) << log;

    // The index is whole, every file in it plays and hashes as indexed, nothing is left open.
    const auto integrity =
        run_program({"sqlite3", (recordings / "index.sqlite").string(), "PRAGMA integrity_check"});
    EXPECT_EQ(integrity.standard_output, "ok\n") << integrity.standard_error;
    const auto segments = indexed();
    ASSERT_FALSE(segments.empty()) << log;
    std::string checksums;
    for (const auto& segment : segments) {
        checksums += segment.sha256 + "  " + segment.file + "\n";
        const auto probe = run_program({"ffprobe", "-v", "error", "-show_entries",
                                        "format=duration", (recordings / segment.file).string()});
        EXPECT_EQ(probe.exit_code, 0) << segment.file << probe.standard_error;
    }
    temp.write("SHA256SUMS", checksums);
    EXPECT_EQ(
        run_program({"sha256sum", "-c", (temp / "SHA256SUMS").string()}, recordings).exit_code, 0);
    for (const auto& entry : fs::recursive_directory_iterator(recordings)) {
        EXPECT_NE(entry.path().extension(), ".partial") << entry.path();
    }
    const auto found = gaps();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].reason.find("disk is full"), std::string::npos) << found[0].reason;
}

// A site file found in the working directory gives relative folders; the first start, before
// the recordings folder exists, examines the disk it will be on.
TEST_F(CameraRecord, TheFirstStartFromTheSiteFolderExaminesTheDiskTheRecordingsWillBeOn) {
    std::string text = exam::testing::read_file(temp / "site.toml");
    text.replace(text.find("reserve = \"1MB\""), 15, "reserve = \"16TiB\"");
    temp.write("site.toml", text);
    const auto refused =
        run_tool(EXAM_CAMERA_BIN, {.args = {"record", "--all"}, .working_directory = temp.path()});
    EXPECT_EQ(refused.exit_code, 74) << refused.standard_error;
    EXPECT_NE(refused.standard_error.find("less than the reserve of"), std::string::npos)
        << refused.standard_error;
    EXPECT_FALSE(fs::exists(temp / "recordings")) << "a refused start must write nothing";
}

TEST_F(CameraRecord, ItRefusesToStartBelowTheReserveAndWarnsWhenTheExamWillNotFit) {
    const fs::path recordings = temp / "recordings";
    const exam::testing::ScopedTmpfs disk{recordings, "8m"};
    ASSERT_TRUE(disk.mounted());
    const auto zone = exam::TimeZone::find("Europe/Moscow");
    const std::string today =
        exam::format_local(zone->to_local(exam::now()), exam::TimePrecision::minutes).substr(0, 10);
    const auto site = [&](const std::string& reserve) {
        temp.write("site.toml",
                   "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
                   "timezone = \"Europe/Moscow\"\n[recording]\nreserve = \"" +
                       reserve + "\"\n[[exam]]\nid = \"math\"\ndate = " + today +
                       "\nsubject = \"Maths\"\nstart = \"23:00\"\n"
                       "duration = \"4h\"\n[[room]]\nid = \"0101\"\n"
                       "[[room.camera]]\nid = \"front\"\nuri = \"rtsp://127.0.0.1:" +
                       m_port + "/front\"\nbitrate = \"100Mbit/s\"\n");
    };
    site("16MB");
    const auto refused = run_tool(
        EXAM_CAMERA_BIN, {.args = {"record", "--all", "--exam", "math"}, .environment = m_env});
    EXPECT_EQ(refused.exit_code, 74) << refused.standard_error;
    EXPECT_NE(refused.standard_error.find("less than the reserve of 16.0 MB"), std::string::npos)
        << refused.standard_error;
    EXPECT_TRUE(fs::is_empty(recordings)) << "a refused start must write nothing";

    site("1MB");
    BackgroundProcess recorder({EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record",
                                "--all", "--exam", "math"},
                               temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually(
        [&] {
            return exam::testing::read_file(temp / "record.log").find("front: recording") !=
                   std::string::npos;
        },
        60s))
        << exam::testing::read_file(temp / "record.log");
    const std::string log = exam::testing::read_file(temp / "record.log");
    EXPECT_NE(log.find("warning: "), std::string::npos) << log;
    EXPECT_NE(log.find("it will stop early unless space is freed"), std::string::npos) << log;
    const int status = recorder.stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << log;
}
