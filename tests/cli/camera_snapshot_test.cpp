// exam-camera snapshot against the RTSP fixture camera, with no recording service running: the
// camera is opened, and the stamped JPEG is a picture of the camera's size that ffprobe reads.
#include <fstream>

#include <gtest/gtest.h>

#include "support/background_process.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::BackgroundProcess;
using exam::testing::run_tool;
using namespace std::chrono_literals;

class CameraSnapshot : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        m_camera = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"/usr/bin/python3",
                                     EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
                                     "board=live"},
            temp / "rtsp.log");
        const auto ready = m_camera->wait_for_line("READY ", 20s);
        ASSERT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
        std::ofstream(temp / "site.toml")
            << "ppe_code = \"0042\"\nregion = \"77\"\nname = \"Школа\"\n"
               "timezone = \"Europe/Moscow\"\n"
               "[[room]]\nid = \"0101\"\nlabel = \"Аудитория 0101\"\n"
               "[[room.camera]]\nid = \"0101-board\"\nlabel = \"Камера «Доска»\"\n"
               "uri = \"rtsp://127.0.0.1:"
            << ready->substr(6) << "/board\"\n";
        // The snapshot goes into the journal: evidence is never silent.
        const auto init =
            run_tool(EXAM_JOURNAL_BIN, {.args = {"--site", (temp / "site.toml").string(), "init"},
                                        .working_directory = temp.path()});
        ASSERT_EQ(init.exit_code, 0) << init.standard_error;
    }

    exam::SubprocessResult snapshot(const std::string& camera, const fs::path& output) {
        return run_tool(EXAM_CAMERA_BIN,
                        {.args = {"--site", (temp / "site.toml").string(), "snapshot", "--camera",
                                  camera, "-o", output.string()},
                         .working_directory = temp.path()});
    }

    std::unique_ptr<BackgroundProcess> m_camera;
};

}  // namespace

TEST_F(CameraSnapshot, OpensTheCameraAndWritesAStampedJpegOfItsPictureSize) {
    const auto run = snapshot("0101-board", temp / "board.jpg");
    ASSERT_EQ(run.exit_code, 0) << run.standard_error;
    EXPECT_NE(run.standard_error.find("board.jpg"), std::string::npos) << run.standard_error;

    exam::SubprocessRequest probe;
    probe.argv = {"ffprobe",
                  "-v",
                  "error",
                  "-show_entries",
                  "stream=codec_name,width,height",
                  "-of",
                  "csv=p=0",
                  (temp / "board.jpg").string()};
    probe.timeout = 30s;
    const auto probed = exam::run_subprocess(probe);
    ASSERT_EQ(probed.exit_code, 0) << probed.standard_error;
    EXPECT_EQ(probed.standard_output, "mjpeg,640,360\n");  // the fixture's picture size
    const auto listed =
        run_tool(EXAM_JOURNAL_BIN,
                 {.args = {"--site", (temp / "site.toml").string(), "list", "--kind", "snapshot"},
                  .working_directory = temp.path()});
    EXPECT_NE(listed.standard_output.find("0101-board"), std::string::npos)
        << listed.standard_output << listed.standard_error;
    // Nothing but the snapshot is left in the folder (no temporary file).
    for (const auto& entry : fs::directory_iterator(temp.path())) {
        EXPECT_EQ(entry.path().filename().string().find(".board.jpg"), std::string::npos)
            << entry.path();
    }
    // For a person to look at (docs/guide-technician.md): EXAM_KEEP_SNAPSHOT=FILE keeps a copy.
    if (const char* keep = std::getenv("EXAM_KEEP_SNAPSHOT")) {
        fs::copy_file(temp / "board.jpg", keep, fs::copy_options::overwrite_existing);
    }
}

TEST_F(CameraSnapshot, AnOutputFolderThatDoesNotExistIsAStorageErrorBeforeTheCameraIsOpened) {
    const auto run = snapshot("0101-board", temp / "missing" / "board.jpg");
    EXPECT_EQ(run.exit_code, 74) << run.standard_error;
    EXPECT_NE(run.standard_error.find("does not exist"), std::string::npos) << run.standard_error;
    EXPECT_FALSE(fs::exists(temp / "missing"));
}

TEST_F(CameraSnapshot, AnUnknownCameraIsAUsageErrorWithADidYouMean) {
    const auto run = snapshot("0101-bord", temp / "board.jpg");
    EXPECT_EQ(run.exit_code, 64) << run.standard_error;
    EXPECT_NE(run.standard_error.find("0101-board"), std::string::npos) << run.standard_error;
}

TEST_F(CameraSnapshot, ACameraThatIsNotThereIsADeviceError) {
    m_camera->stop();
    const auto run = snapshot("0101-board", temp / "board.jpg");
    EXPECT_EQ(run.exit_code, 69) << run.standard_error;
    EXPECT_NE(run.standard_error.find("0101-board"), std::string::npos) << run.standard_error;
    EXPECT_FALSE(fs::exists(temp / "board.jpg"));
}
