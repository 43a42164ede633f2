// A snapshot's label drawn on its picture: OpenCV's freetype module renders UTF-8 (Cyrillic
// included) with DejaVu Sans, and FreeType itself says which characters that font lacks, so a
// label is never stamped with a missing-glyph box unnoticed.
#include <exam/vision/stamp.hpp>

#include <algorithm>
#include <memory>
#include <system_error>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <opencv2/core.hpp>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <exam/util/error.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

constexpr int k_jpeg_quality = 90;
// The text's height is the picture's divided by this: 40 px at 1080p, 14 px at 360p.
constexpr int k_picture_heights_per_line = 27;
constexpr int k_smallest_text = 12;       // px; smaller is no longer read on a phone
constexpr double k_band_darkness = 0.45;  // what is left of the picture's light behind the text
const cv::Scalar k_white{255, 255, 255};

void require_font(const std::filesystem::path& font) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(font, error)) {
        throw ConfigError(
            _f("the snapshot's label is drawn with the font {}, which is missing; install "
               "Debian's package fonts-dejavu-core (apt install fonts-dejavu-core)",
               font.string()));
    }
}

struct FreeTypeLibrary {
    FT_Library library = nullptr;
    FT_Face face = nullptr;
    ~FreeTypeLibrary() {
        if (face != nullptr) {
            FT_Done_Face(face);
        }
        if (library != nullptr) {
            FT_Done_FreeType(library);
        }
    }
};

// The largest text height (px) up to `wanted` at which every line fits `room` pixels wide.
int fitting_height(cv::freetype::FreeType2& drawer, const std::vector<std::string>& lines,
                   int wanted, int room) {
    int height = wanted;
    for (const std::string& line : lines) {
        int baseline = 0;
        const int width = drawer.getTextSize(line, height, -1, &baseline).width;
        if (width > room && width > 0) {
            height = std::max(k_smallest_text, height * room / width);
        }
    }
    return height;
}

}  // namespace

std::vector<std::uint8_t> stamped_jpeg(const BgrView& picture,
                                       const std::vector<std::string>& lines,
                                       const std::filesystem::path& font) {
    if (picture.width <= 0 || picture.height <= 0 || picture.pixels == nullptr) {
        throw InputError(
            _f("cannot stamp an empty picture ({}x{})", picture.width, picture.height));
    }
    require_font(font);
    // A copy: the caller's pixels stay as they were.
    cv::Mat stamped;
    cv::Mat{picture.height, picture.width, CV_8UC3,
            const_cast<std::uint8_t*>(picture.pixels),  // NOLINT: read only, then copied
            static_cast<std::size_t>(picture.stride)}
        .copyTo(stamped);

    const cv::Ptr<cv::freetype::FreeType2> drawer = cv::freetype::createFreeType2();
    drawer->loadFontData(font.string(), 0);
    const int wanted = std::max(k_smallest_text, picture.height / k_picture_heights_per_line);
    const int margin = std::max(4, wanted / 2);
    const int text_height = fitting_height(*drawer, lines, wanted, picture.width - 4 * margin);
    const int line_step = text_height * 13 / 10;

    int widest = 0;
    for (const std::string& line : lines) {
        int baseline = 0;
        widest = std::max(widest, drawer->getTextSize(line, text_height, -1, &baseline).width);
    }
    if (!lines.empty()) {
        // Bottom-left, where a classroom's picture usually shows floor or desks, not faces.
        const int band_height = line_step * static_cast<int>(lines.size()) + margin;
        const cv::Rect band = cv::Rect{margin, picture.height - margin - band_height,
                                       widest + 2 * margin, band_height} &
                              cv::Rect{0, 0, picture.width, picture.height};
        cv::Mat behind = stamped(band);
        behind.convertTo(behind, -1, k_band_darkness, 0);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            // FreeType2::putText takes the top left of the text's height, not its baseline;
            // the descenders fall in the gap between lines.
            const cv::Point top_left{band.x + margin,
                                     band.y + margin / 2 + line_step * static_cast<int>(i)};
            drawer->putText(stamped, lines[i], top_left, text_height, k_white, -1, cv::LINE_AA,
                            false);
        }
    }
    std::vector<std::uint8_t> jpeg;
    cv::imencode(".jpg", stamped, jpeg, {cv::IMWRITE_JPEG_QUALITY, k_jpeg_quality});
    return jpeg;
}

std::vector<char32_t> glyphs_missing(const std::string& utf8_text,
                                     const std::filesystem::path& font) {
    require_font(font);
    FreeTypeLibrary freetype;
    if (FT_Init_FreeType(&freetype.library) != 0 ||
        FT_New_Face(freetype.library, font.c_str(), 0, &freetype.face) != 0) {
        throw ConfigError(
            _f("the font {} cannot be read by FreeType; reinstall Debian's "
               "package fonts-dejavu-core",
               font.string()));
    }
    std::vector<char32_t> missing;
    for (const char32_t character : utf8_code_points(utf8_text)) {
        if (character < U' ') {
            continue;  // a line break is not drawn
        }
        if (FT_Get_Char_Index(freetype.face, character) == 0 &&
            std::find(missing.begin(), missing.end(), character) == missing.end()) {
            missing.push_back(character);
        }
    }
    return missing;
}

}  // namespace exam
