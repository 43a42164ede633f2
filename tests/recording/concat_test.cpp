// concat_segments over segments the real recorder wrote: the built-in test camera for the
// picture, GStreamer's RTSP camera with AAC sound (tests/fixtures) for the sound. The joined
// files are judged by ffprobe (duration, streams, keyframes) and ffmpeg (decoding without an
// error).
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include <exam/recording/concat.hpp>
#include <exam/util/error.hpp>

#include "support/background_process.hpp"
#include "support/record_segments.hpp"
#include "support/recordings.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::run_program;
using namespace std::chrono_literals;

std::vector<exam::ConcatSource> sources_of(const std::vector<exam::SegmentRecord>& segments,
                                           const fs::path& recordings) {
    std::vector<exam::ConcatSource> sources;
    for (const auto& segment : segments) {
        sources.push_back(
            {recordings / segment.file, segment.started, segment.ended, segment.sha256});
    }
    return sources;
}

double seconds(exam::TimePoint::duration span) {
    return std::chrono::duration<double>(span).count();
}

double duration_of(const fs::path& file) {
    const auto probe = run_program({"ffprobe", "-v", "error", "-show_entries", "format=duration",
                                    "-of", "default=nw=1:nk=1", file.string()});
    EXPECT_EQ(probe.exit_code, 0) << probe.standard_error;
    return std::atof(probe.standard_output.c_str());
}

double stream_duration(const fs::path& file, const std::string& kind) {
    const auto probe =
        run_program({"ffprobe", "-v", "error", "-select_streams", kind, "-show_entries",
                     "stream=duration", "-of", "default=nw=1:nk=1", file.string()});
    return std::atof(probe.standard_output.c_str());
}

// "video", or "video audio": the codec types of the file's streams.
std::string streams_of(const fs::path& file) {
    const auto probe = run_program({"ffprobe", "-v", "error", "-show_entries", "stream=codec_type",
                                    "-of", "default=nw=1:nk=1", file.string()});
    std::string types = probe.standard_output;
    std::replace(types.begin(), types.end(), '\n', ' ');
    return types.empty() ? types : types.substr(0, types.size() - 1);
}

bool starts_with_a_keyframe(const fs::path& file) {
    const auto probe = run_program({"ffprobe", "-v", "error", "-select_streams", "v:0",
                                    "-show_entries", "packet=flags", "-read_intervals", "%+#1",
                                    "-of", "default=nw=1:nk=1", file.string()});
    return !probe.standard_output.empty() && probe.standard_output.front() == 'K';
}

// What ffmpeg says while decoding the whole file: nothing for a sound file.
std::string decoding_errors(const fs::path& file) {
    const auto decode =
        run_program({"ffmpeg", "-v", "error", "-i", file.string(), "-f", "null", "-"});
    return decode.standard_error + (decode.exit_code == 0 ? "" : "exit code != 0");
}

std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

class Concat : public exam::testing::TempDirTest {
protected:
    // Each test runs in a process of its own (gtest_discover_tests): ~6 s of recording each.
    static void SetUpTestSuite() {
        s_recorded = std::make_unique<exam::testing::TempDir>();
        s_picture = exam::testing::record_segments({"front", "0101", "test:320x240@25", true},
                                                   *s_recorded / "picture", 3);
    }
    static void TearDownTestSuite() { s_recorded.reset(); }

    // The picture camera's segments and a range from 1.5 s into its first segment to 0.5 s
    // before the end of its last.
    static exam::ConcatRequest picture_request(const fs::path& folder) {
        exam::ConcatRequest request;
        request.segments = sources_of(s_picture, *s_recorded / "picture");
        request.range = {s_picture.front().started + 1500ms, s_picture.back().ended - 500ms};
        request.folder = folder;
        request.base_name = "front_20260601T073012Z";
        return request;
    }

    static inline std::unique_ptr<exam::testing::TempDir> s_recorded;
    static inline std::vector<exam::SegmentRecord> s_picture;
};

TEST_F(Concat, JoinsTheRangeIntoOnePartFromTheKeyframeBeforeItsStart) {
    ASSERT_GE(s_picture.size(), 3U);
    const auto request = picture_request(temp / "out");
    const auto parts = exam::concat_segments(request);

    ASSERT_EQ(parts.size(), 1U);
    const auto& part = parts.front();
    EXPECT_EQ(part.file, temp / "out/front_20260601T073012Z_1.mp4");
    EXPECT_EQ(part.bytes, fs::file_size(part.file));
    EXPECT_FALSE(part.audio);
    const auto used = std::count_if(s_picture.begin(), s_picture.end(), [&](const auto& segment) {
        return segment.started < request.range.to;
    });
    EXPECT_EQ(part.source_sha256.size(), static_cast<std::size_t>(used));
    EXPECT_FALSE(fs::exists(temp / "out/front_20260601T073012Z_1.mp4.partial"));
    // The test camera sends a keyframe a second: the part starts at most that much early.
    EXPECT_LE(part.start, request.range.from);
    EXPECT_GT(part.start, request.range.from - 1100ms);
    EXPECT_LE(part.end, request.range.to + 100ms);
    const double expected = seconds(request.range.to - part.start);
    EXPECT_NEAR(duration_of(part.file), expected, 0.2);
    EXPECT_NEAR(duration_of(part.file), seconds(request.range.length()), 1.1);
    EXPECT_TRUE(starts_with_a_keyframe(part.file));
    EXPECT_EQ(decoding_errors(part.file), "");
    EXPECT_EQ(streams_of(part.file), "video");
}

TEST_F(Concat, KeepsTheSoundOfSegmentsThatHaveIt) {
    exam::testing::BackgroundProcess camera(
        {"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
         "front=aac"},
        temp / "rtsp.log");
    const auto ready = camera.wait_for_line("READY ", 20s);
    ASSERT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
    const auto sound = exam::testing::record_segments(
        {"front", "0101", "rtsp://127.0.0.1:" + ready->substr(6) + "/front", true}, temp / "sound",
        4);
    ASSERT_GE(sound.size(), 3U);
    ASSERT_EQ(sound.front().audio, std::optional<std::string>{"aac"});
    // The last segment was cut by the stop (its sound's tail may be short): up to the one
    // before it.
    exam::ConcatRequest request;
    const std::vector<exam::SegmentRecord> whole(sound.begin(), sound.end() - 1);
    request.segments = sources_of(whole, temp / "sound");
    request.range = {whole.front().started + 500ms, whole.back().ended};
    request.folder = temp / "out";
    request.base_name = "front";
    const auto parts = exam::concat_segments(request);

    ASSERT_EQ(parts.size(), 1U);
    EXPECT_TRUE(parts.front().audio);
    EXPECT_EQ(streams_of(parts.front().file), "video audio");
    EXPECT_EQ(decoding_errors(parts.front().file), "");
    EXPECT_NEAR(duration_of(parts.front().file), seconds(request.range.length()), 1.1);
    // The sound lasts as long as the picture: none of it is lost at the segments' ends.
    EXPECT_NEAR(stream_duration(parts.front().file, "a"), stream_duration(parts.front().file, "v"),
                0.15);
}

TEST_F(Concat, TwoRunsMakeTheSameBytes) {
    const auto first = exam::concat_segments(picture_request(temp / "first"));
    const auto second = exam::concat_segments(picture_request(temp / "second"));
    ASSERT_EQ(first.size(), 1U);
    ASSERT_EQ(second.size(), 1U);
    EXPECT_EQ(bytes_of(first.front().file), bytes_of(second.front().file));
}

TEST_F(Concat, SplitsIntoPartsBelowTheLimitEachStartingWithAKeyframe) {
    auto request = picture_request(temp / "out");
    const auto whole = exam::concat_segments(request);
    ASSERT_EQ(whole.size(), 1U);
    request.folder = temp / "split";
    request.max_part_bytes = whole.front().bytes / 3;
    const auto parts = exam::concat_segments(request);

    ASSERT_GE(parts.size(), 3U);
    double total = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto& part = parts[i];
        EXPECT_EQ(part.file.filename(), "front_20260601T073012Z_" + std::to_string(i + 1) + ".mp4");
        EXPECT_LE(part.bytes, request.max_part_bytes) << part.file;
        EXPECT_TRUE(starts_with_a_keyframe(part.file)) << part.file;
        EXPECT_EQ(decoding_errors(part.file), "") << part.file;
        if (i > 0) {
            EXPECT_NEAR(seconds(part.start - parts[i - 1].end), 0, 0.1) << part.file;
        }
        total += duration_of(part.file);
    }
    EXPECT_NEAR(total, duration_of(whole.front().file), 0.2);
}

TEST_F(Concat, AGapOfMoreThanAFewSecondsStartsANewPart) {
    ASSERT_GE(s_picture.size(), 3U);
    // The same segments as if the camera had been away for 10 s after the second.
    auto request = picture_request(temp / "out");
    for (std::size_t i = 2; i < request.segments.size(); ++i) {
        request.segments[i].start += 10s;
        request.segments[i].end += 10s;
    }
    request.range.to += 10s;
    const auto parts = exam::concat_segments(request);

    ASSERT_EQ(parts.size(), 2U);
    EXPECT_GE(seconds(parts[1].start - parts[0].end), 9.8);
    EXPECT_EQ(parts[0].source_sha256.size(), 2U);
    EXPECT_EQ(parts[1].source_sha256.front(), s_picture[2].sha256);
    EXPECT_TRUE(starts_with_a_keyframe(parts[1].file));
    EXPECT_NEAR(duration_of(parts[0].file), seconds(parts[0].end - parts[0].start), 0.2);
}

TEST_F(Concat, AShortGapStaysInTheTimestamps) {
    auto request = picture_request(temp / "out");
    for (std::size_t i = 2; i < request.segments.size(); ++i) {
        request.segments[i].start += 2s;
        request.segments[i].end += 2s;
    }
    request.range.to += 2s;
    const auto parts = exam::concat_segments(request);

    ASSERT_EQ(parts.size(), 1U);
    EXPECT_NEAR(duration_of(parts.front().file), seconds(request.range.to - parts.front().start),
                0.2);
    EXPECT_EQ(decoding_errors(parts.front().file), "");
}

TEST_F(Concat, ARangeWithoutRecordingsMakesNoPart) {
    auto request = picture_request(temp / "out");
    request.range = {s_picture.back().ended + 1h, s_picture.back().ended + 2h};
    EXPECT_TRUE(exam::concat_segments(request).empty());
}

TEST_F(Concat, ASegmentThatIsNoRecordingIsAnInputErrorNamingIt) {
    auto request = picture_request(temp / "out");
    const auto broken = temp.write("broken.mp4", "not a recording");
    request.segments[1].file = broken;
    try {
        exam::concat_segments(request);
        FAIL() << "no error";
    } catch (const exam::InputError& error) {
        EXPECT_NE(std::string{error.what()}.find(broken.string()), std::string::npos)
            << error.what();
    }
    EXPECT_FALSE(fs::exists(temp / "out/front_20260601T073012Z_1.mp4"));
}

TEST_F(Concat, AFolderThatCannotBeWrittenIsAStorageError) {
    auto request = picture_request(temp / "out");
    temp.write("file", "");
    request.folder = temp / "file" / "below";
    EXPECT_THROW(exam::concat_segments(request), exam::StorageError);
}

}  // namespace
