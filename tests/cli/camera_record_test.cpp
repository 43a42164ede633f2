// exam-camera record against a real RTSP camera (GStreamer's RTSP server, tests/fixtures):
// the segments it leaves are judged by ffprobe and sha256sum, the index and the journal by
// their own readers.
#include <fstream>

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

exam::SubprocessResult run_program(std::vector<std::string> argv, const fs::path& folder = ".") {
    exam::SubprocessRequest request;
    request.argv = std::move(argv);
    request.working_directory = folder;
    request.timeout = 60s;
    return exam::run_subprocess(request);
}

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
        temp.write("site.toml",
                   "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
                   "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\n"
                   "[[room]]\nid = \"0101\"\n[[room.camera]]\nid = \"front\"\n"
                   "uri = \"rtsp://127.0.0.1:" +
                       ready->substr(6) + "/front\"\n");
        m_env = {{"EXAM_SITE", (temp / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
    }

    std::vector<exam::SegmentRecord> indexed() const {
        const fs::path index = exam::SegmentIndex::file_in(temp / "recordings");
        try {
            return exam::SegmentIndex::open_read_only(index).segments();
        } catch (const exam::Error&) {
            return {};  // not created yet, or being created: the caller polls
        }
    }

    std::unique_ptr<BackgroundProcess> m_camera;
    std::vector<std::pair<std::string, std::string>> m_env;
};

}  // namespace

TEST_F(CameraRecord, SegmentsPlayCoverTheWallTimeAndTheirHashesAreInTheJournal) {
    ASSERT_EQ(run_tool(EXAM_JOURNAL_BIN,
                       {.args = {"init"}, .working_directory = temp.path(), .environment = m_env})
                  .exit_code,
              0);
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
        const auto probe = run_program({"ffprobe", "-v", "error", "-count_frames", "-show_entries",
                                        "stream=codec_name,nb_read_frames", "-show_entries",
                                        "format=duration", "-of", "json", file.string()});
        ASSERT_EQ(probe.exit_code, 0) << probe.standard_error;
        const auto json = nlohmann::json::parse(probe.standard_output);
        EXPECT_EQ(json["streams"][0]["codec_name"], "h264");
        EXPECT_EQ(std::stoull(json["streams"][0]["nb_read_frames"].get<std::string>()),
                  segment.frames);
        const double seconds = std::stod(json["format"]["duration"].get<std::string>());
        EXPECT_NEAR(seconds * 1000.0,
                    static_cast<double>(segment.media_end_ms - segment.media_start_ms), 120.0)
            << segment.file;
        covered += segment.ended - segment.started;
        if (i > 0) {
            // One segment starts where the previous stopped: a frame's interval apart.
            EXPECT_LT(segment.started - segments[i - 1].ended, 250ms) << segment.file;
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
