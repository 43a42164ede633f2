// One keyframe of a camera's stream, copied whole so that it outlives the packet it came in
// (the recording service keeps each camera's latest for picture health and snapshots), and its
// decoding into pictures. No FFmpeg type here: the codec is FFmpeg's AVCodecID as a number.
// Lives in libexam-recording (libavcodec, libswscale).
#pragma once

#include <cstdint>
#include <vector>

#include <exam/export.hpp>
#include <exam/util/time.hpp>
#include <exam/vision/picture.hpp>
#include <exam/vision/stamp.hpp>

namespace exam {

struct Keyframe {
    int codec_id = 0;  // FFmpeg's AVCodecID (H.264, H.265, ...), as the stream names it
    int width = 0;     // as the stream's parameters say; the decoded picture has the last word
    int height = 0;
    std::vector<std::uint8_t> extradata;  // the stream's header (avcC/hvcC or Annex B), if any
    std::vector<std::uint8_t> data;       // the keyframe's packet as it came
    TimePoint time;                       // when it was received (the server's clock)
};

// A decoded picture: 8-bit BGR (for a snapshot) and grey (for picture health), either left
// empty when it was not asked for.
struct DecodedPicture {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> bgr;   // width * 3 bytes a row
    std::vector<std::uint8_t> gray;  // width bytes a row: the decoder's luma, as the pre-check's
                                     // reading of a recording measures it

    [[nodiscard]] GrayView gray_view() const { return {width, height, width, gray.data()}; }
    [[nodiscard]] BgrView bgr_view() const {
        return {width, height, static_cast<std::ptrdiff_t>(width) * 3, bgr.data()};
    }
};

enum class DecodedPlanes { gray, bgr, both };

struct DecodeOptions {
    // 0: the keyframe's own size. Otherwise pictures wider than this are scaled down to it,
    // their shape kept: health judges a 640-wide picture as well as a 1080p one, for a
    // fraction of the cost.
    int max_width = 0;
    DecodedPlanes planes = DecodedPlanes::both;
};

// What the recording service's picture health asks for.
inline constexpr DecodeOptions k_health_decoding{.max_width = 640, .planes = DecodedPlanes::gray};

// Decodes the keyframe alone (one decoder, one thread, no state kept). Throws InputError when
// the bytes do not decode to a picture (garbage, a codec this FFmpeg cannot decode).
EXAM_EXPORT DecodedPicture decode_keyframe(const Keyframe& keyframe,
                                           const DecodeOptions& options = {});

}  // namespace exam
