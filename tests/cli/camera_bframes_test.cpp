// exam-camera record against cameras that reorder their pictures (B-frames), as GStreamer's RTSP
// server sends them (tests/fixtures/rtsp_camera.py, mounts bframes and bframes265): every
// segment is judged by FFmpeg's own tools — it decodes without a single error, every packet is a
// picture decoded, decoding times rise, and the pictures, shown in order, are 40 ms apart.
#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <exam/recording/segment_index.hpp>
#include <exam/util/error.hpp>
#include <exam/util/subprocess.hpp>

#include "support/background_process.hpp"
#include "support/recordings.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::BackgroundProcess;
using exam::testing::run_program;
using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        if (end > begin) {
            lines.push_back(text.substr(begin, end - begin));
        }
        begin = end + 1;
    }
    return lines;
}

class CameraBFrames : public exam::testing::TempDirTest {
protected:
    // Records the fixture's `mount` (25 frames/s, a keyframe every two seconds) in segments of
    // two seconds until `segments` are indexed, and stops the recorder as Ctrl-C does.
    std::vector<exam::SegmentRecord> record(const std::string& mount, std::size_t segments) {
        BackgroundProcess camera(
            {"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--fps", "25",
             "--mount", "cam=" + mount},
            temp / "rtsp.log");
        const auto ready = camera.wait_for_line("READY ", 20s);
        EXPECT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
        if (!ready) {
            return {};
        }
        temp.write("site.toml",
                   "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
                   "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\n"
                   "reserve = \"1MB\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\nid = \"cam\"\n"
                   "uri = \"rtsp://127.0.0.1:" +
                       ready->substr(6) + "/cam\"\n");
        const std::vector<std::pair<std::string, std::string>> env{
            {"EXAM_SITE", (temp / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
        const auto init = exam::testing::run_tool(
            EXAM_JOURNAL_BIN,
            {.args = {"init"}, .working_directory = temp.path(), .environment = env});
        EXPECT_EQ(init.exit_code, 0) << init.standard_error;
        BackgroundProcess recorder(
            {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
            temp / "record.log");
        EXPECT_TRUE(exam::testing::eventually([&] { return indexed().size() >= segments; }, 90s))
            << exam::testing::read_file(temp / "record.log");
        const int status = recorder.stop(10s);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
            << exam::testing::read_file(temp / "record.log");
        return indexed();
    }

    std::vector<exam::SegmentRecord> indexed() const {
        return exam::testing::indexed_segments(temp / "recordings");
    }

    // What FFmpeg makes of one segment: (a) no error decoding it, (b) a picture for every
    // packet, (c) rising decoding times and pictures 40 ms apart in presentation order; its
    // media times are those of its first and last picture shown. The last segment is cut by
    // the stop, where the camera may have sent a picture but not yet the B-frames shown before
    // it: its pictures decode, but it may end with a gap.
    void expect_every_picture_decodes(const exam::SegmentRecord& segment, bool last) const {
        const std::string file = (temp / "recordings" / segment.file).string();
        const auto decoded = run_program({"ffmpeg", "-v", "error", "-i", file, "-f", "null", "-"});
        EXPECT_EQ(decoded.exit_code, 0) << segment.file;
        EXPECT_EQ(decoded.standard_output + decoded.standard_error, "") << segment.file;

        const auto counted =
            run_program({"ffprobe", "-v", "error", "-count_frames", "-count_packets",
                         "-select_streams", "v:0", "-show_entries",
                         "stream=nb_read_frames,nb_read_packets,time_base", "-of", "json", file});
        ASSERT_EQ(counted.exit_code, 0) << counted.standard_error;
        const auto stream = nlohmann::json::parse(counted.standard_output)["streams"][0];
        const std::string frames = stream["nb_read_frames"];
        EXPECT_EQ(frames, stream["nb_read_packets"].get<std::string>()) << segment.file;
        EXPECT_EQ(std::stoull(frames), segment.frames) << segment.file;
        const std::string base = stream["time_base"];  // "1/90000"
        const double tick_ms = 1000.0 * std::stod(base.substr(0, base.find('/'))) /
                               std::stod(base.substr(base.find('/') + 1));

        const auto packets =
            run_program({"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                         "packet=pts,dts", "-of", "csv=p=0", file});
        ASSERT_EQ(packets.exit_code, 0) << packets.standard_error;
        std::vector<long long> shown;
        long long last_dts = 0;
        bool first = true;
        for (const std::string& line : lines_of(packets.standard_output)) {
            const long long pts = std::stoll(line.substr(0, line.find(',')));
            const long long dts = std::stoll(line.substr(line.find(',') + 1));
            EXPECT_TRUE(first || dts > last_dts) << segment.file << ": " << line;
            EXPECT_LE(dts, pts) << segment.file << ": " << line;
            last_dts = dts;
            first = false;
            shown.push_back(pts);
        }
        ASSERT_EQ(shown.size(), segment.frames) << segment.file;
        if (last) {
            return;
        }
        std::sort(shown.begin(), shown.end());
        for (std::size_t i = 1; i < shown.size(); ++i) {
            EXPECT_NEAR(static_cast<double>(shown[i] - shown[i - 1]) * tick_ms, 40.0, 0.5)
                << segment.file << ": picture " << i;
        }
        EXPECT_EQ(segment.media_end_ms - segment.media_start_ms,
                  static_cast<std::int64_t>(segment.frames - 1) * 40)
            << segment.file;
    }

    // The NAL unit type of the first slice of a segment's first picture (H.265).
    int first_picture_type(const exam::SegmentRecord& segment) const {
        const auto annex_b = run_program(
            {"ffmpeg", "-v", "error", "-i", (temp / "recordings" / segment.file).string(), "-c",
             "copy", "-bsf:v", "hevc_mp4toannexb", "-frames:v", "1", "-f", "hevc", "-"});
        const std::string& bytes = annex_b.standard_output;
        for (std::size_t i = 0; i + 3 < bytes.size(); ++i) {
            if (bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 1) {
                const int type = (static_cast<unsigned char>(bytes[i + 3]) >> 1) & 0x3f;
                if (type < 32) {
                    return type;
                }
            }
        }
        return -1;
    }
};

}  // namespace

TEST_F(CameraBFrames, AnH264CameraWithBFramesRecordsSegmentsWhosePicturesAllDecodeInOrder) {
    const auto segments = record("bframes", 4);
    ASSERT_GE(segments.size(), 4u);
    for (std::size_t i = 0; i < segments.size(); ++i) {
        expect_every_picture_decodes(segments[i], i + 1 == segments.size());
        if (i > 0) {
            // Nothing lost at a cut: the next segment's first picture is the one after.
            EXPECT_EQ(segments[i].media_start_ms - segments[i - 1].media_end_ms, 40)
                << segments[i].file;
        }
    }
}

TEST_F(CameraBFrames, AnH265CameraWithOpenGopsLosesNoLeadingPictureAtACut) {
    const auto segments = record("bframes265", 4);
    ASSERT_GE(segments.size(), 4u);
    int started_at_clean_random_access = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        expect_every_picture_decodes(segments[i], i + 1 == segments.size());
        if (i > 0) {
            // A cut at a CRA: its leading pictures end the segment before, with the CRA, which
            // starts the next one again; no picture between them is lost.
            const auto step = segments[i].media_start_ms - segments[i - 1].media_end_ms;
            EXPECT_GE(step, 0) << segments[i].file;
            EXPECT_LE(step, 40) << segments[i].file;
            started_at_clean_random_access += first_picture_type(segments[i]) == 21 ? 1 : 0;
        }
    }
    // x265 sends an IDR only at its start: the cuts were at CRA pictures with leading ones.
    EXPECT_GE(started_at_clean_random_access, 2);
}
