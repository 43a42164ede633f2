// Contact sheets from segments the real recorder wrote (the built-in test camera), judged by
// ffprobe (a JPEG of the layout's size) and by the pixels ffmpeg decodes from it.
#include <cmath>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include <exam/archive/contact_sheet.hpp>
#include <exam/util/error.hpp>

#include "support/record_segments.hpp"
#include "support/recordings.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::run_program;
using namespace std::chrono_literals;

std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The sheet's pixels in grey, a byte each, row by row.
std::string grey_pixels(const fs::path& jpeg) {
    const auto decoded = run_program(
        {"ffmpeg", "-v", "error", "-i", jpeg.string(), "-f", "rawvideo", "-pix_fmt", "gray", "-"});
    EXPECT_EQ(decoded.exit_code, 0) << decoded.standard_error;
    return decoded.standard_output;
}

struct Region {
    double mean = 0;
    double deviation = 0;
};

// The grey level of a tile's top-left quarter (away from its "no recording" text).
Region tile_region(const std::string& pixels, std::size_t tile) {
    const auto& layout = exam::k_contact_sheet_layout;
    double sum = 0;
    double squares = 0;
    int count = 0;
    for (int y = 4; y < layout.tile_height / 4; ++y) {
        for (int x = 4; x < layout.tile_width / 4; ++x) {
            const auto at = static_cast<std::size_t>((layout.tile_y(tile) + y) * layout.width() +
                                                     layout.tile_x(tile) + x);
            const double value = static_cast<unsigned char>(pixels.at(at));
            sum += value;
            squares += value * value;
            ++count;
        }
    }
    const double mean = sum / count;
    return {mean, std::sqrt(squares / count - mean * mean)};
}

class ContactSheet : public exam::testing::TempDirTest {
protected:
    static void SetUpTestSuite() {
        s_recorded = std::make_unique<exam::testing::TempDir>();
        const auto segments = exam::testing::record_segments(
            {"front", "0101", "test:320x240@25", true}, *s_recorded / "recordings", 2);
        for (const auto& segment : segments) {
            s_sources.push_back(
                {*s_recorded / "recordings" / segment.file, segment.started, segment.ended});
        }
    }
    static void TearDownTestSuite() { s_recorded.reset(); }

    // The recordings, then as long again with nothing: the second half of the tiles is a gap.
    static exam::TimeRange range_with_a_gap() {
        const auto from = s_sources.front().start;
        return {from, from + 2 * (s_sources.back().end - from)};
    }

    static inline std::unique_ptr<exam::testing::TempDir> s_recorded;
    static inline std::vector<exam::ContactSheetSource> s_sources;
};

TEST_F(ContactSheet, TilesWithoutASourceAreTheGap) {
    ASSERT_GE(s_sources.size(), 2U);
    const auto range = range_with_a_gap();
    const auto tiles = exam::contact_sheet_tiles(s_sources, range);

    ASSERT_EQ(tiles.size(), exam::k_contact_sheet_layout.tiles());
    EXPECT_EQ(tiles.front().at, range.from);
    EXPECT_EQ(tiles.front().source, std::optional<std::size_t>{0});
    EXPECT_LT(tiles.back().at, range.to);
    EXPECT_FALSE(tiles.back().source);
    for (const auto& tile : tiles) {
        const bool covered = tile.at < s_sources.back().end + 1s;
        EXPECT_EQ(tile.source.has_value(), covered) << exam::format_utc(tile.at);
    }
}

TEST_F(ContactSheet, IsAJpegOfTheLayoutsSizeWithPicturesAndGapTiles) {
    ASSERT_GE(s_sources.size(), 2U);
    const auto zone = exam::TimeZone::find("Europe/Moscow");
    ASSERT_TRUE(zone);
    const auto range = range_with_a_gap();
    const auto jpeg = temp / "contact-sheet.jpg";
    exam::write_contact_sheet(s_sources, range, *zone, "0101 front", jpeg);

    EXPECT_FALSE(fs::exists(temp / "contact-sheet.jpg.part"));
    const auto probe =
        run_program({"ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
                     "-of", "default=nw=1", jpeg.string()});
    EXPECT_EQ(probe.standard_output,
              "codec_name=mjpeg\nwidth=" + std::to_string(exam::k_contact_sheet_layout.width()) +
                  "\nheight=" + std::to_string(exam::k_contact_sheet_layout.height()) + "\n")
        << probe.standard_error;

    const auto pixels = grey_pixels(jpeg);
    ASSERT_EQ(pixels.size(), static_cast<std::size_t>(exam::k_contact_sheet_layout.width() *
                                                      exam::k_contact_sheet_layout.height()));
    const auto tiles = exam::contact_sheet_tiles(s_sources, range);
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const Region region = tile_region(pixels, i);
        if (tiles[i].source) {
            // The test camera's moving pattern: anything but a flat grey.
            EXPECT_TRUE(region.deviation > 8 || std::abs(region.mean - 64) > 16)
                << "tile " << i << " mean " << region.mean << " deviation " << region.deviation;
        } else {
            EXPECT_NEAR(region.mean, exam::k_no_recording_grey, 3) << "tile " << i;
            EXPECT_LT(region.deviation, 3) << "tile " << i;
        }
    }
}

TEST_F(ContactSheet, TheSameInputMakesTheSameBytes) {
    const auto zone = exam::TimeZone::find("Europe/Moscow");
    ASSERT_TRUE(zone);
    exam::write_contact_sheet(s_sources, range_with_a_gap(), *zone, "0101 front", temp / "a.jpg");
    exam::write_contact_sheet(s_sources, range_with_a_gap(), *zone, "0101 front", temp / "b.jpg");
    EXPECT_EQ(bytes_of(temp / "a.jpg"), bytes_of(temp / "b.jpg"));
}

TEST_F(ContactSheet, ASourceThatIsNoRecordingIsAnInputErrorNamingIt) {
    const auto zone = exam::TimeZone::find("Europe/Moscow");
    ASSERT_TRUE(zone);
    auto sources = s_sources;
    sources.front().file = temp.write("broken.mp4", "not a recording");
    try {
        exam::write_contact_sheet(sources, range_with_a_gap(), *zone, "0101 front",
                                  temp / "sheet.jpg");
        FAIL() << "no error";
    } catch (const exam::InputError& error) {
        EXPECT_NE(std::string{error.what()}.find("broken.mp4"), std::string::npos) << error.what();
    }
    EXPECT_FALSE(fs::exists(temp / "sheet.jpg"));
    EXPECT_FALSE(fs::exists(temp / "sheet.jpg.part"));
}

}  // namespace
