// Keyframes taken from files ffmpeg encodes here (H.264 and H.265, in MP4 with their header as
// extradata, and as a raw Annex B stream as RTSP cameras send them), copied as the recorder
// copies them and decoded alone: the picture is the one ffmpeg itself decodes, pixel for pixel.
#include <memory>

extern "C" {
#include <libavformat/avformat.h>
}

#include <gtest/gtest.h>

#include <exam/recording/keyframe.hpp>
#include <exam/util/error.hpp>
#include <exam/util/subprocess.hpp>
#include <exam/vision/keyframe_health.hpp>

#include "recording/keyframe_copy.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Two seconds of `source` (lavfi) at 25 fps encoded with `encoder` into `file`.
void encode(const fs::path& file, const std::string& source, const std::string& encoder) {
    exam::SubprocessRequest request;
    request.argv = {"ffmpeg", "-v",    "error",    "-y",        "-f",
                    "lavfi",  "-i",    source,     "-frames:v", "50",
                    "-c:v",   encoder, "-pix_fmt", "yuv420p",   file.string()};
    if (encoder == "libx265") {
        request.argv.insert(request.argv.end() - 1, {"-x265-params", "log-level=error"});
    }
    request.timeout = 60s;
    const auto made = exam::run_subprocess(request);
    ASSERT_EQ(made.exit_code, 0) << made.standard_error;
}

// The first frame of `file` as ffmpeg decodes it: its luma plane (the first width*height bytes
// of yuv420p).
std::string ffmpeg_luma(const fs::path& file, int width, int height) {
    exam::SubprocessRequest request;
    request.argv = {"ffmpeg", "-v", "error",    "-i",       file.string(), "-frames:v",
                    "1",      "-f", "rawvideo", "-pix_fmt", "yuv420p",     "-"};
    request.timeout = 60s;
    const auto decoded = exam::run_subprocess(request);
    EXPECT_EQ(decoded.exit_code, 0) << decoded.standard_error;
    return decoded.standard_output.substr(0, static_cast<std::size_t>(width * height));
}

struct InputCloser {
    void operator()(AVFormatContext* input) const { avformat_close_input(&input); }
};

// The file's first keyframe, copied as the recorder copies it.
exam::Keyframe first_keyframe(const fs::path& file) {
    AVFormatContext* raw = nullptr;
    EXPECT_EQ(avformat_open_input(&raw, file.c_str(), nullptr, nullptr), 0) << file;
    const std::unique_ptr<AVFormatContext, InputCloser> input{raw};
    EXPECT_GE(avformat_find_stream_info(raw, nullptr), 0);
    const int video = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    EXPECT_GE(video, 0);
    AVPacket* packet = av_packet_alloc();
    exam::Keyframe keyframe;
    while (av_read_frame(raw, packet) >= 0) {
        if (packet->stream_index == video && (packet->flags & AV_PKT_FLAG_KEY) != 0) {
            keyframe = exam::keyframe_from(*raw->streams[video]->codecpar, *packet,
                                           exam::TimePoint{std::chrono::seconds{1'800'000'000}});
            break;
        }
        av_packet_unref(packet);
    }
    av_packet_free(&packet);
    return keyframe;
}

class KeyframePicture : public exam::testing::TempDirTest {
protected:
    // The keyframe of `file` decoded at full size matches ffmpeg's own picture.
    void expect_decodes_as_ffmpeg_does(const fs::path& file, int width, int height) {
        const exam::Keyframe keyframe = first_keyframe(file);
        ASSERT_FALSE(keyframe.data.empty());
        const exam::DecodedPicture picture = exam::decode_keyframe(keyframe);
        ASSERT_EQ(picture.width, width);
        ASSERT_EQ(picture.height, height);
        ASSERT_EQ(picture.bgr.size(), static_cast<std::size_t>(width * height * 3));
        const std::string expected = ffmpeg_luma(file, width, height);
        ASSERT_EQ(picture.gray.size(), expected.size());
        EXPECT_TRUE(std::equal(picture.gray.begin(), picture.gray.end(),
                               reinterpret_cast<const std::uint8_t*>(expected.data())))
            << "the grey plane is not the decoder's luma";
    }
};

}  // namespace

TEST_F(KeyframePicture, AnH264KeyframeFromAnMp4DecodesAsFfmpegDecodesIt) {
    encode(temp / "h264.mp4", "testsrc2=size=320x240:rate=25", "libx264");
    EXPECT_FALSE(first_keyframe(temp / "h264.mp4").extradata.empty()) << "avcC in the MP4";
    expect_decodes_as_ffmpeg_does(temp / "h264.mp4", 320, 240);
}

TEST_F(KeyframePicture, AnH265KeyframeFromAnMp4DecodesAsFfmpegDecodesIt) {
    encode(temp / "h265.mp4", "testsrc2=size=320x240:rate=25", "libx265");
    expect_decodes_as_ffmpeg_does(temp / "h265.mp4", 320, 240);
}

TEST_F(KeyframePicture, AnAnnexBKeyframeCarryingItsOwnParameterSetsDecodesWithoutExtradata) {
    // As an RTSP camera sends it: SPS and PPS in-band, before the picture.
    encode(temp / "camera.h264", "testsrc2=size=320x240:rate=25", "libx264");
    exam::Keyframe keyframe = first_keyframe(temp / "camera.h264");
    keyframe.extradata.clear();
    const exam::DecodedPicture picture = exam::decode_keyframe(keyframe);
    EXPECT_EQ(picture.width, 320);
    EXPECT_EQ(picture.height, 240);
}

TEST_F(KeyframePicture, TheKeyframeCopyOwnsItsBytesAndKeepsTheTimeGiven) {
    encode(temp / "h264.mp4", "testsrc2=size=320x240:rate=25", "libx264");
    const exam::Keyframe keyframe = first_keyframe(temp / "h264.mp4");
    EXPECT_EQ(keyframe.codec_id, static_cast<int>(AV_CODEC_ID_H264));
    EXPECT_EQ(keyframe.width, 320);
    EXPECT_EQ(keyframe.height, 240);
    EXPECT_EQ(keyframe.time, exam::TimePoint{std::chrono::seconds{1'800'000'000}});
    // The packet it came from is gone (first_keyframe freed it): the copy still decodes.
    EXPECT_NO_THROW(exam::decode_keyframe(keyframe));
}

TEST_F(KeyframePicture, HealthAsksForAGreyPictureScaledDownToItsWidth) {
    encode(temp / "hd.mp4", "testsrc2=size=1280x720:rate=25", "libx264");
    const exam::DecodedPicture picture =
        exam::decode_keyframe(first_keyframe(temp / "hd.mp4"), exam::k_health_decoding);
    EXPECT_EQ(picture.width, 640);
    EXPECT_EQ(picture.height, 360);
    EXPECT_EQ(picture.gray.size(), 640u * 360u);
    EXPECT_TRUE(picture.bgr.empty()) << "a colour picture health does not look at";
    EXPECT_TRUE(exam::KeyframeHealth{}.judge(picture.gray_view()).empty());
}

TEST_F(KeyframePicture, ABlackCameraKeyframeIsJudgedBlack) {
    encode(temp / "black.mp4", "color=c=black:size=640x360:rate=25", "libx264");
    exam::KeyframeHealth health;
    const auto findings = health.judge(
        exam::decode_keyframe(first_keyframe(temp / "black.mp4"), exam::k_health_decoding)
            .gray_view());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].problem, exam::PictureProblem::black);
}

TEST_F(KeyframePicture, GarbageIsBadInputNotACrash) {
    exam::Keyframe garbage;
    garbage.codec_id = static_cast<int>(AV_CODEC_ID_H264);
    garbage.data.assign(4096, 0xA5);
    EXPECT_THROW(exam::decode_keyframe(garbage), exam::InputError);
    garbage.data.clear();
    EXPECT_THROW(exam::decode_keyframe(garbage), exam::InputError);
    garbage.data.assign(64, 0);
    garbage.codec_id = 0;  // AV_CODEC_ID_NONE: no decoder
    EXPECT_THROW(exam::decode_keyframe(garbage), exam::InputError);
}

TEST_F(KeyframePicture, AKeyframeCutShortIsBadInput) {
    encode(temp / "h264.mp4", "testsrc2=size=320x240:rate=25", "libx264");
    exam::Keyframe keyframe = first_keyframe(temp / "h264.mp4");
    keyframe.data.resize(40);  // the header of the picture and nothing of it
    EXPECT_THROW(exam::decode_keyframe(keyframe), exam::InputError);
}
