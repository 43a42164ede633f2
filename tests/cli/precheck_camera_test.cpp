// The camera check against real video: files made here by ffmpeg for each picture problem,
// and cameras served by GStreamer's RTSP server (tests/fixtures/rtsp_camera.py).
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/background_process.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::BackgroundProcess;
using exam::testing::run_tool;
using exam::testing::SilentListener;
using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Three seconds of 640x360 at 25 fps through `filter`, encoded as a camera would (H.264).
void make_video(const fs::path& file, const std::string& source, const std::string& filter = "") {
    std::vector<std::string> argv{"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source};
    if (!filter.empty()) {
        argv.insert(argv.end(), {"-vf", filter});
    }
    argv.insert(argv.end(),
                {"-frames:v", "75", "-c:v", "libx264", "-pix_fmt", "yuv420p", file.string()});
    exam::SubprocessRequest request;
    request.argv = argv;
    request.timeout = 60s;
    const auto made = exam::run_subprocess(request);
    ASSERT_EQ(made.exit_code, 0) << made.standard_error;
}

// The videos are made on first use and kept for the other tests of this process: ffmpeg is
// the slow part.
class PrecheckCamera : public ::testing::Test {
protected:
    static void SetUpTestSuite() { s_videos = new exam::testing::TempDir; }
    static void TearDownTestSuite() {
        delete s_videos;
        s_videos = nullptr;
    }
    static fs::path video(const std::string& name) {
        const fs::path file = *s_videos / (name + ".mp4");
        if (fs::exists(file)) {
            return file;
        }
        const std::string size = "size=640x360:rate=25";
        if (name == "live") {
            make_video(file, "testsrc2=" + size);
        } else if (name == "black") {
            make_video(file, "color=c=black:" + size);
        } else if (name == "covered") {
            // A lens covered by a hand: dim, flat, a little sensor noise.
            make_video(file, "color=c=0x404040:" + size, "noise=alls=6:allf=t");
        } else if (name == "frozen") {
            // One picture repeated: the stream runs, the scene does not.
            make_video(file, "testsrc2=" + size, "loop=loop=-1:size=1:start=0");
        } else if (name == "blurred") {
            make_video(file, "testsrc2=" + size, "gblur=sigma=6");
        }
        return file;
    }

    nlohmann::json run_json(const std::string& suite, std::vector<std::string> extra = {}) {
        temp.write("suite.toml", suite);
        std::vector<std::string> args{"run", "--suite", (temp / "suite.toml").string(), "--report",
                                      "json"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto result = run_tool(EXAM_PRECHECK_BIN, {.args = args});
        auto json = nlohmann::json::parse(result.standard_output, nullptr, false);
        EXPECT_FALSE(json.is_discarded()) << result.standard_output << result.standard_error;
        json["__exit"] = result.exit_code;
        json["__stderr"] = result.standard_error;
        return json;
    }

    static std::string camera_check(const std::string& id, const std::string& uri,
                                    const std::string& extra = "") {
        return "[[check]]\nid = \"" + id + "\"\ntype = \"camera\"\nuri = \"" + uri + "\"\n" +
               extra + "\n";
    }

    exam::testing::TempDir temp;
    static exam::testing::TempDir* s_videos;
};

exam::testing::TempDir* PrecheckCamera::s_videos = nullptr;

// A site whose two rooms' cameras are `uris`, with the size and rate they are set up for.
std::string site_with_cameras(const std::vector<std::pair<std::string, std::string>>& cameras) {
    std::string site = R"(ppe_code = "0001"
region = "77"
name = "School 1"
timezone = "Europe/Moscow"
)";
    for (std::size_t i = 0; i < cameras.size(); ++i) {
        site += "[[room]]\nid = \"010" + std::to_string(i + 1) + "\"\n[[room.camera]]\nid = \"" +
                cameras[i].first + "\"\nuri = \"" + cameras[i].second +
                "\"\nwidth = 640\nheight = 360\nfps = 25\n";
    }
    return site;
}

}  // namespace

TEST_F(PrecheckCamera, EachPictureProblemGivesItsVerdictWithTheMeasuredValue) {
    std::string suite;
    for (const std::string name : {"live", "black", "covered", "frozen", "blurred"}) {
        suite += camera_check(name, "file://" + video(name).string());
    }
    const auto json = run_json(suite);
    ASSERT_EQ(json["checks"].size(), 5u) << json.dump(2);
    const auto& checks = json["checks"];
    EXPECT_EQ(checks[0]["status"], "pass") << checks[0].dump();
    EXPECT_TRUE(contains(checks[0]["message"], "640x360 at 25.0 fps")) << checks[0].dump();
    EXPECT_EQ(checks[0]["observed"]["value"], "640x360, 25.0 fps");

    const std::vector<std::pair<std::string, std::string>> verdicts{
        {"black", "black picture: brightness 0.0"},
        {"covered", "the lens looks covered: contrast "},
        {"frozen", "frozen picture: 0.000% of pixels changed"},
        {"blurred", "picture out of focus: sharpness "},
    };
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
        const auto& check = checks[i + 1];
        EXPECT_EQ(check["id"], verdicts[i].first);
        EXPECT_EQ(check["status"], "fail") << check.dump();
        EXPECT_TRUE(contains(check["message"], verdicts[i].second)) << check.dump();
        // Only the verdict that matters: a black picture is not also called frozen or blurred.
        const std::string message = check["message"];
        EXPECT_FALSE(contains(message, ";")) << message;
    }
    EXPECT_EQ(json["__exit"], 2);
}

TEST_F(PrecheckCamera, ThePictureSizeAndRateAreComparedWithWhatTheCameraIsSetUpFor) {
    const auto json = run_json(camera_check("hd", "file://" + video("live").string(),
                                            "width = 1280\nheight = 720\nfps = 50"));
    const auto& check = json["checks"][0];
    EXPECT_EQ(check["status"], "fail");
    EXPECT_TRUE(contains(check["message"], "picture size 640x360, expected 1280x720"))
        << check.dump();
    EXPECT_TRUE(contains(check["message"], "25.0 frames per second, expected 50")) << check.dump();
    EXPECT_TRUE(contains(check["expected"], "1280x720 pictures at 50 frames per second"));
}

TEST_F(PrecheckCamera, EveryCameraOfTheSiteServedOverRtspIsCheckedAndNamed) {
    BackgroundProcess server({"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py",
                              "--mount", "front=live", "--mount", "back=live"},
                             temp / "rtsp.log");
    const auto ready = server.wait_for_line("READY ", 20s);
    ASSERT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
    const std::string base = "rtsp://127.0.0.1:" + ready->substr(6) + "/";
    temp.write("site.toml", site_with_cameras({{"front", base + "front"},
                                               {"back", base + "back"},
                                               {"unplugged", base + "nothing-here"}}));
    const auto json = run_json(
        "default_timeout = \"15s\"\n[[check]]\nid = \"cameras\"\n"
        "title = \"Camera\"\ntype = \"camera\"\n",
        {"--site", (temp / "site.toml").string()});
    const auto& checks = json["checks"];
    ASSERT_EQ(checks.size(), 3u) << json.dump(2);
    EXPECT_EQ(checks[0]["id"], "cameras:front");
    EXPECT_EQ(checks[0]["status"], "pass") << checks[0].dump();
    EXPECT_TRUE(contains(checks[0]["message"], "camera front (room 0101): 640x360"))
        << checks[0].dump();
    EXPECT_EQ(checks[1]["id"], "cameras:back");
    EXPECT_EQ(checks[1]["status"], "pass") << checks[1].dump();
    EXPECT_EQ(checks[2]["id"], "cameras:unplugged");
    EXPECT_EQ(checks[2]["status"], "fail");
    // The server answers, and has no such stream: refused at once, not a timeout.
    EXPECT_TRUE(contains(checks[2]["message"], "camera unplugged (room 0103) could not be opened"))
        << checks[2].dump();
    EXPECT_EQ(checks[2]["title"], "Camera: unplugged (0103)");
}

TEST_F(PrecheckCamera, ACameraThatAcceptsAndNeverAnswersIsCutOffAtTheTimeout) {
    SilentListener silent;
    const auto start = std::chrono::steady_clock::now();
    const auto json = run_json(
        camera_check("silent", "rtsp://127.0.0.1:" + std::to_string(silent.port()) + "/stream1",
                     "timeout = \"3s\""));
    const auto took = std::chrono::steady_clock::now() - start;
    const auto& check = json["checks"][0];
    EXPECT_EQ(check["status"], "fail") << check.dump();
    EXPECT_TRUE(contains(check["message"], "did not open within")) << check.dump();
    // The time it waited: half of four fifths of what is left of 3 s, about "1.2s" (it said
    // "1s168ms"); never "0s" or "1ms".
    EXPECT_TRUE(
        std::regex_search(check["message"].get<std::string>(),
                          std::regex{"did not open within ([1-9][0-9]{2}ms|[1-9](\\.[0-9])?s) "}))
        << check.dump();
    EXPECT_LE(check["duration_ms"].get<int>(), 3500) << check.dump();
    EXPECT_LT(took, 15s);  // FFmpeg alone would wait on an RTSP answer for ever
}

TEST_F(PrecheckCamera, ACameraThatRefusesAtOnceIsNotSaidToHaveTimedOut) {
    const int closed_port = exam::testing::free_loopback_port();
    const auto json = run_json(
        camera_check("refused", "rtsp://127.0.0.1:" + std::to_string(closed_port) + "/stream1",
                     "timeout = \"5s\""));
    const auto& check = json["checks"][0];
    EXPECT_EQ(check["status"], "fail") << check.dump();
    const std::string message = check["message"];
    // It was refused in milliseconds: "did not open within 0s" (or 1ms) was a wrong number.
    EXPECT_FALSE(contains(message, "within")) << message;
    EXPECT_TRUE(contains(message, "could not be opened: it refused at once")) << message;
}

TEST_F(PrecheckCamera, TheBuiltInTestCameraIsAGeneratedPictureNotADeviceToOpen) {
    const auto json = run_json(
        camera_check("as-set-up", "test:320x180@25", "width = 320\nheight = 180\nfps = 25") +
        camera_check("other-size", "test:640x360", "width = 320\nheight = 180") +
        camera_check("written-wrongly", "test:320x181"));
    const auto& checks = json["checks"];
    EXPECT_EQ(checks[0]["status"], "pass") << checks[0].dump();
    EXPECT_TRUE(contains(checks[0]["message"],
                         "the recorder's built-in test camera, a generated "
                         "320x180 pattern at 25 fps"))
        << checks[0].dump();
    EXPECT_EQ(checks[0]["observed"]["value"], "320x180, 25 fps (generated)");
    EXPECT_EQ(checks[1]["status"], "fail") << checks[1].dump();
    EXPECT_TRUE(contains(checks[1]["message"], "picture size 640x360, expected 320x180"))
        << checks[1].dump();
    EXPECT_EQ(checks[2]["status"], "fail") << checks[2].dump();
    EXPECT_TRUE(
        contains(checks[2]["message"], "the test camera is \"test:\", \"test:WIDTHxHEIGHT\""))
        << checks[2].dump();
    for (const auto& check : checks) {
        EXPECT_FALSE(contains(check["message"], "did not open")) << check.dump();
    }
}

TEST_F(PrecheckCamera, OnlyPicksOneCameraOfACameraCheck) {
    temp.write("site.toml", site_with_cameras({{"front", "file://" + video("live").string()},
                                               {"back", "file://" + video("black").string()}}));
    const auto json = run_json("[[check]]\nid = \"cameras\"\ntype = \"camera\"\n",
                               {"--site", (temp / "site.toml").string(), "--only", "cameras:back"});
    ASSERT_EQ(json["checks"].size(), 1u) << json.dump(2);
    EXPECT_EQ(json["checks"][0]["id"], "cameras:back");
    EXPECT_EQ(json["checks"][0]["status"], "fail");
    const auto unknown = run_tool(
        EXAM_PRECHECK_BIN, {.args = {"run", "--suite", (temp / "suite.toml").string(), "--site",
                                     (temp / "site.toml").string(), "--only", "cameras:side"}});
    EXPECT_EQ(unknown.exit_code, 64);
    EXPECT_TRUE(contains(unknown.standard_error, "--only cameras:side: no check with that id"))
        << unknown.standard_error;
}

TEST_F(PrecheckCamera, ACameraTheSiteDoesNotHaveIsAConfigErrorAtTheCheck) {
    temp.write("site.toml", site_with_cameras({{"front", "file://" + video("live").string()}}));
    temp.write("suite.toml",
               "[[check]]\nid = \"cameras\"\ntype = \"camera\"\n"
               "cameras = [\"fornt\"]\n");
    const auto result =
        run_tool(EXAM_PRECHECK_BIN, {.args = {"run", "--suite", (temp / "suite.toml").string(),
                                              "--site", (temp / "site.toml").string()}});
    EXPECT_EQ(result.exit_code, 78);
    EXPECT_TRUE(contains(result.standard_error, "suite.toml:1:")) << result.standard_error;
    EXPECT_TRUE(contains(result.standard_error, "no camera \"fornt\"; did you mean \"front\"?"))
        << result.standard_error;
}

TEST_F(PrecheckCamera, WithoutASiteACameraCheckNeedsAUri) {
    const auto json = run_json("[[check]]\nid = \"cameras\"\ntype = \"camera\"\n");
    EXPECT_EQ(json["checks"][0]["status"], "error");
    EXPECT_TRUE(contains(json["checks"][0]["message"], "give the check a \"uri\""));
    EXPECT_EQ(json["__exit"], 3);
}

namespace {

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++count;
    }
    return count;
}

}  // namespace

TEST_F(PrecheckCamera, WhileTheRecorderHoldsACameraTheCheckJudgesItsRecording) {
    // A live camera that counts its clients, and a camera whose lens is covered (a file
    // played as a camera); both recorded by exam-camera record while the checks run.
    BackgroundProcess server({"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py",
                              "--mount", "front=live", "--log-clients"},
                             temp / "rtsp.log");
    const auto ready = server.wait_for_line("READY ", 20s);
    ASSERT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
    temp.write("site.toml",
               site_with_cameras({{"front", "rtsp://127.0.0.1:" + ready->substr(6) + "/front"},
                                  {"covered", "file:" + video("covered").string()}}) +
                   "[recording]\nreserve = \"1MB\"\n");
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually(
        [&] {
            const std::string log = exam::testing::read_file(temp / "record.log");
            return contains(log, "front: recording") && contains(log, "covered: recording");
        },
        30s))
        << exam::testing::read_file(temp / "record.log");
    const std::string suite =
        "default_timeout = \"15s\"\n[[check]]\nid = \"cameras\"\ntitle = \"Camera\"\n"
        "type = \"camera\"\n";
    const nlohmann::json json = run_json(suite, {"--site", (temp / "site.toml").string()});
    const std::string clients = exam::testing::read_file(temp / "rtsp.log");
    recorder.stop(10s);
    ASSERT_EQ(json["checks"].size(), 2u) << json.dump(2);
    const auto& front = json["checks"][0];
    EXPECT_EQ(front["status"], "pass") << front.dump();
    EXPECT_TRUE(contains(front["message"], "camera front (room 0101): 640x360")) << front.dump();
    EXPECT_TRUE(contains(front["message"], "(pictures from the recording")) << front.dump();
    // The picture analysis ran on the recording: the covered lens is found there.
    const auto& covered = json["checks"][1];
    EXPECT_EQ(covered["status"], "fail") << covered.dump();
    EXPECT_TRUE(contains(covered["message"], "(pictures from the recording")) << covered.dump();
    // One session on the camera, the recorder's: the checks never opened another.
    EXPECT_EQ(count_of(clients, "CLIENT"), 1u) << clients;
}

TEST_F(PrecheckCamera, ACameraTheRecorderHasLostFailsWithHowLongItHasBeenSilent) {
    auto server = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"/usr/bin/python3",
                                 EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
                                 "front=live"},
        temp / "rtsp.log");
    const auto ready = server->wait_for_line("READY ", 20s);
    ASSERT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
    temp.write("site.toml",
               site_with_cameras({{"front", "rtsp://127.0.0.1:" + ready->substr(6) + "/front"}}) +
                   "[recording]\nreserve = \"1MB\"\n");
    BackgroundProcess recorder(
        {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
        temp / "record.log");
    ASSERT_TRUE(exam::testing::eventually(
        [&] { return contains(exam::testing::read_file(temp / "record.log"), "front: recording"); },
        30s));
    server->stop();  // the camera goes dark; the recorder keeps trying
    const std::string suite =
        "default_timeout = \"15s\"\n[[check]]\nid = \"cameras\"\ntitle = \"Camera\"\n"
        "type = \"camera\"\n";
    nlohmann::json json;
    const bool failed = exam::testing::eventually(
        [&] {
            json = run_json(suite, {"--site", (temp / "site.toml").string()});
            return json["checks"].size() == 1 &&
                   contains(json["checks"][0]["message"], "has had no picture from it for");
        },
        40s);
    recorder.stop(10s);
    ASSERT_TRUE(failed) << json.dump(2);
    EXPECT_EQ(json["checks"][0]["status"], "fail");
    EXPECT_EQ(json["__exit"], 2);
}
