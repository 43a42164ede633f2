// A snapshot as a technician files it: the picture with its label lines drawn on it (region,
// exam point, room, camera, time — Cyrillic included), encoded as JPEG. Lives in
// libexam-vision; no OpenCV type here: the caller hands over 8-bit BGR pixels it owns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <exam/vision/export.hpp>

namespace exam {

// An 8-bit BGR picture (blue, green, red per pixel, as OpenCV keeps them) that the caller owns.
struct BgrView {
    int width = 0;
    int height = 0;
    std::ptrdiff_t stride = 0;  // bytes from one row to the next
    const std::uint8_t* pixels = nullptr;
};

// The font the labels are drawn in: DejaVu Sans from Debian's fonts-dejavu-core, which has
// Cyrillic, Latin and the typographic signs (« » — №) an exam point's labels use.
inline const std::filesystem::path k_stamp_font{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"};

// `picture` with `lines` (UTF-8) drawn bottom-left in white on a dark translucent band, the
// text's height a fixed share of the picture's so it reads the same at 640x360 and at 4K;
// JPEG at quality 90. Throws ConfigError naming the font file and its Debian package when the
// font is missing, InputError for an empty picture.
// (`font` is for the tests: another file, or none.)
EXAM_VISION_EXPORT std::vector<std::uint8_t> stamped_jpeg(
    const BgrView& picture, const std::vector<std::string>& lines,
    const std::filesystem::path& font = k_stamp_font);

// The characters of `utf8_text` that the stamp's font has no glyph for (each once, in order
// of first appearance); empty when every one would be drawn. A text that is not valid UTF-8
// reports U+FFFD for the bytes that do not decode. Throws like stamped_jpeg when the font is
// missing.
EXAM_VISION_EXPORT std::vector<char32_t> glyphs_missing(
    const std::string& utf8_text, const std::filesystem::path& font = k_stamp_font);

}  // namespace exam
