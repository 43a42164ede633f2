// A camera's contact sheet for an export package (contact-sheet.jpg): a grid of timestamped
// thumbnails across the range, so that a person sees at a glance what the camera saw and where
// it saw nothing. The pictures are decoded and drawn by libexam-devices (OpenCV, FFmpeg),
// which is loaded only when a sheet is made; the layout is decided here.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <exam/core/recording_window.hpp>
#include <exam/export.hpp>
#include <exam/util/time.hpp>

namespace exam {

// A segment as the index knows it: the file and its wall-clock start and end.
struct ContactSheetSource {
    std::filesystem::path file;
    TimePoint start;
    TimePoint end;
};

// The sheet's geometry: a title strip on top, then rows of tiles, each a picture fitted into
// tile_width x tile_height (black bars keep its shape) above a strip with its local time.
struct ContactSheetLayout {
    int columns = 6;
    int rows = 4;
    int tile_width = 320;
    int tile_height = 180;
    int label_height = 24;
    int title_height = 48;

    [[nodiscard]] std::size_t tiles() const { return static_cast<std::size_t>(columns * rows); }
    [[nodiscard]] int width() const { return columns * tile_width; }
    [[nodiscard]] int height() const { return title_height + rows * (tile_height + label_height); }
    // The top-left corner of tile `index`'s picture.
    [[nodiscard]] int tile_x(std::size_t index) const {
        return static_cast<int>(index % static_cast<std::size_t>(columns)) * tile_width;
    }
    [[nodiscard]] int tile_y(std::size_t index) const {
        return title_height + static_cast<int>(index / static_cast<std::size_t>(columns)) *
                                  (tile_height + label_height);
    }
};
inline constexpr ContactSheetLayout k_contact_sheet_layout{};

// What a tile shows: the picture of `source` at `at` (the keyframe at or before it), or, with
// no source, a "no recording" tile.
struct ContactSheetTile {
    TimePoint at;
    std::optional<std::size_t> source;  // index into the sources
};

// The grey of a "no recording" tile (B = G = R), written with "no recording" on it.
inline constexpr int k_no_recording_grey = 64;

// The tiles at even times over `range` (the first at its start), each with the source that
// covers its time, if any: from its start to a second after its end (the time of its last
// picture, which stays on screen until the next).
EXAM_EXPORT std::vector<ContactSheetTile> contact_sheet_tiles(
    std::span<const ContactSheetSource> sources, TimeRange range,
    const ContactSheetLayout& layout = k_contact_sheet_layout);

// A grid of timestamped thumbnails across `range` (JPEG): at even times over the range, the
// picture at (or the keyframe before) each time; a "no recording" tile where no source covers
// it. Each tile is labelled with its local time in `zone`, the sheet with `title` (ASCII: the
// camera's and room's ids; OpenCV's fonts have no Cyrillic) and the range. The same input
// gives the same bytes. Written to `jpeg` + ".part", synced, renamed, the folder synced.
// Throws DeviceError when libexam-devices cannot be loaded, InputError for a source that
// cannot be read (naming it), StorageError when the file cannot be written.
EXAM_EXPORT void write_contact_sheet(std::span<const ContactSheetSource> sources, TimeRange range,
                                     const TimeZone& zone, std::string_view title,
                                     const std::filesystem::path& jpeg);

}  // namespace exam
