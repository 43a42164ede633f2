// exam-camera record keeps a camera's sound: against GStreamer's RTSP server with sound (AAC,
// G.711 μ-law and A-law), the segments are judged by ffmpeg (decoding without errors) and
// ffprobe (the sound as long as the picture, starting with it), the index by its reader.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <exam/recording/segment_index.hpp>
#include <exam/util/error.hpp>
#include <exam/util/subprocess.hpp>

#include "support/background_process.hpp"
#include "support/recordings.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::BackgroundProcess;
using exam::testing::run_program;
using namespace std::chrono_literals;

struct Stream {
    std::string codec;
    double start = 0;
    double duration = 0;
    double second_packet = -1;  // the time of its second packet (the muxer starts the first at 0)
    double first_duration = 0;
};

class CameraAudio : public exam::testing::TempDirTest {
protected:
    // Serves `mount` (a fixture mount: aac, pcmu, ...) as the camera "front" and records it
    // until `segments` are indexed; `camera_keys` go into its table, `recording_keys` into
    // [recording]. The recorder's terminal output is kept in m_log.
    std::vector<exam::SegmentRecord> record(const std::string& mount, std::size_t segments,
                                            const std::string& camera_keys = {},
                                            const std::string& recording_keys = {}) {
        BackgroundProcess camera(
            {"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
             "front=" + mount},
            temp / "rtsp.log");
        const auto ready = camera.wait_for_line("READY ", 20s);
        EXPECT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
        if (!ready) {
            return {};
        }
        temp.write("site.toml",
                   fmt::format("ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
                               "timezone = \"Europe/Moscow\"\n[journal]\nkeep = false\n"
                               "[recording]\nsegment = \"2s\"\nreserve = \"1MB\"\n{}"
                               "[[room]]\nid = \"0101\"\n[[room.camera]]\nid = \"front\"\n"
                               "uri = \"rtsp://127.0.0.1:{}/front\"\n{}",
                               recording_keys, ready->substr(6), camera_keys));
        BackgroundProcess recorder(
            {EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
            temp / "record.log");
        const bool enough =
            exam::testing::eventually([&] { return indexed().size() >= segments; }, 90s);
        const int status = recorder.stop(10s);
        m_log = exam::testing::read_file(temp / "record.log");
        EXPECT_TRUE(enough) << m_log;
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << m_log;
        return indexed();
    }

    std::vector<exam::SegmentRecord> indexed() const {
        return exam::testing::indexed_segments(temp / "recordings");
    }

    // The file's streams as ffprobe sees them.
    std::vector<Stream> streams(const exam::SegmentRecord& segment) const {
        const std::string file = (temp / "recordings" / segment.file).string();
        const auto probe = run_program(
            {"ffprobe", "-v", "error", "-show_entries", "stream=codec_name,start_time,duration",
             "-show_entries", "packet=stream_index,pts_time,duration_time", "-of", "json", file});
        EXPECT_EQ(probe.exit_code, 0) << probe.standard_error;
        const auto json = nlohmann::json::parse(probe.standard_output);
        std::vector<Stream> found;
        for (const auto& stream : json["streams"]) {
            Stream one;
            one.codec = stream.value("codec_name", "");
            one.start = std::stod(stream.value("start_time", "-1"));
            one.duration = std::stod(stream.value("duration", "-1"));
            found.push_back(one);
        }
        std::vector<int> seen(found.size(), 0);
        for (const auto& packet : json["packets"]) {
            const auto index = packet.value("stream_index", std::size_t{0});
            ++seen[index];
            if (seen[index] == 1) {
                found[index].first_duration = std::stod(packet.value("duration_time", "0"));
            }
            if (seen[index] == 2) {
                found[index].second_packet = std::stod(packet.value("pts_time", "-1"));
            }
        }
        return found;
    }

    // Every segment but the last (cut by the stop, its sound's tail still in the encoder) has
    // sound that decodes without an error, starts with the picture and lasts as long.
    void expect_sound_with_the_picture(const std::vector<exam::SegmentRecord>& segments,
                                       double audio_frame) {
        ASSERT_GE(segments.size(), 3U) << m_log;
        for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
            const auto& segment = segments[i];
            EXPECT_EQ(segment.audio, std::optional<std::string>{"aac"}) << segment.file;
            const auto decode =
                run_program({"ffmpeg", "-v", "error", "-i",
                             (temp / "recordings" / segment.file).string(), "-f", "null", "-"});
            EXPECT_EQ(decode.exit_code, 0);
            EXPECT_EQ(decode.standard_error, "") << segment.file;
            const auto found = streams(segment);
            ASSERT_EQ(found.size(), 2U) << segment.file;
            EXPECT_EQ(found[0].codec, "h264");
            EXPECT_EQ(found[1].codec, "aac");
            EXPECT_LT(std::abs(found[1].start - found[0].start), 0.1) << segment.file;
            // The muxer starts each track's first sample at 0 (no edit list in a fragmented
            // file): the sound's own start is its second packet's time less a frame. It is
            // no later than 100 ms after the picture's (the frame that spans the cut may begin
            // before it).
            EXPECT_LT(found[1].second_packet - audio_frame - found[0].start, 0.1) << segment.file;
            EXPECT_GE(found[1].second_packet - found[0].start, 0.0) << segment.file;
            // Within an audio frame and a video frame (40 ms at 25 frames/s).
            EXPECT_NEAR(found[1].duration, found[0].duration, audio_frame + 0.04) << segment.file;
        }
    }

    std::string m_log;
};

}  // namespace

TEST_F(CameraAudio, AnAacCameraGivesSegmentsWithItsSoundAlignedWithThePicture) {
    // voaacenc: 1024 samples at 44.1 kHz a frame.
    expect_sound_with_the_picture(record("aac", 4), 1024.0 / 44100.0);
}

TEST_F(CameraAudio, AMuLawCameraGivesSegmentsWithItsSoundConvertedToAac) {
    expect_sound_with_the_picture(record("pcmu", 4), 1024.0 / 8000.0);
}

TEST_F(CameraAudio, AnALawCameraGivesSegmentsWithItsSoundConvertedToAac) {
    expect_sound_with_the_picture(record("pcma", 4), 1024.0 / 8000.0);
}

TEST_F(CameraAudio, AVideoOnlyCameraGivesSegmentsWithoutSoundAndTheIndexSaysSo) {
    const auto segments = record("live", 2);
    ASSERT_GE(segments.size(), 2U) << m_log;
    for (const auto& segment : segments) {
        EXPECT_EQ(segment.audio, std::nullopt) << segment.file;
        EXPECT_EQ(streams(segment).size(), 1U) << segment.file;
    }
}

TEST_F(CameraAudio, ACameraWhoseSoundMustNotBeKeptIsRecordedWithoutIt) {
    const auto segments = record("aac", 2, "audio = false\n");
    ASSERT_GE(segments.size(), 2U) << m_log;
    for (const auto& segment : segments) {
        EXPECT_EQ(segment.audio, std::nullopt) << segment.file;
        const auto found = streams(segment);
        ASSERT_EQ(found.size(), 1U) << segment.file;
        EXPECT_EQ(found[0].codec, "h264");
    }
}

TEST_F(CameraAudio, ASiteWhoseSoundMustNotBeKeptRecordsNoCameraSound) {
    const auto segments = record("pcmu", 2, {}, "audio = false\n");
    ASSERT_GE(segments.size(), 2U) << m_log;
    for (const auto& segment : segments) {
        EXPECT_EQ(segment.audio, std::nullopt) << segment.file;
        EXPECT_EQ(streams(segment).size(), 1U) << segment.file;
    }
}

TEST_F(CameraAudio, ACameraWhoseSoundStopsIsStillRecordedAndSaysSoOnce) {
    // Sound for 3 s, then the picture alone: segments keep coming, later ones without sound.
    const auto segments = record("aac-stop:3", 6);
    ASSERT_GE(segments.size(), 6U) << m_log;
    EXPECT_EQ(segments.front().audio, std::optional<std::string>{"aac"});
    EXPECT_EQ(segments.back().audio, std::nullopt);
    EXPECT_EQ(streams(segments.back()).size(), 1U);
    for (const auto& segment : segments) {
        const auto decode =
            run_program({"ffmpeg", "-v", "error", "-i",
                         (temp / "recordings" / segment.file).string(), "-f", "null", "-"});
        EXPECT_EQ(decode.standard_error, "") << segment.file;
        EXPECT_GT(segment.frames, 0U);
    }
    const std::string said = "its picture is recorded without sound";
    const auto first = m_log.find(said);
    EXPECT_NE(first, std::string::npos) << m_log;
    EXPECT_EQ(m_log.find(said, first + 1), std::string::npos) << m_log;
}
