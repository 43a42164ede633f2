// The contact sheet's layout and its file; the pictures come from libexam-devices
// (devices/contact_sheet.cpp), loaded here only when a sheet is made.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include <exam/archive/contact_sheet.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

#include "core/devices_module.hpp"
#include "devices/devices_api.hpp"

namespace exam {
namespace {

namespace fs = std::filesystem;

// A segment's end is the time of its last picture, which stays on screen until the next
// segment's first (a frame later) or for about a second, a fragment of the recorder's.
constexpr std::chrono::seconds k_last_picture_shown{1};

// Written whole or not at all: NAME.part, synced, renamed, the folder synced.
void write_synced(const fs::path& file, const std::vector<std::uint8_t>& bytes) {
    fs::path part = file;
    part += ".part";
    const auto fail = [&](int error) {
        ::unlink(part.c_str());
        throw StorageError(
            _f("cannot write {}: {}; check the free space and that the "
               "destination is writable",
               file.string(), std::strerror(error)));
    };
    const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw StorageError(_f("cannot write {}: {}; check that the destination is writable",
                              file.string(), std::strerror(errno)));
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const int error = n < 0 ? errno : ENOSPC;
            ::close(fd);
            fail(error);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        fail(error);
    }
    if (::close(fd) != 0) {
        fail(errno);
    }
    if (::rename(part.c_str(), file.c_str()) != 0) {
        fail(errno);
    }
    sync_directory(file.parent_path());
}

}  // namespace

std::vector<ContactSheetTile> contact_sheet_tiles(std::span<const ContactSheetSource> sources,
                                                  TimeRange range,
                                                  const ContactSheetLayout& layout) {
    std::vector<ContactSheetTile> tiles;
    const std::size_t count = layout.tiles();
    const auto step = range.length() / static_cast<std::int64_t>(count);
    for (std::size_t i = 0; i < count; ++i) {
        ContactSheetTile tile{range.from + step * static_cast<std::int64_t>(i), std::nullopt};
        for (std::size_t s = 0; s < sources.size(); ++s) {
            if (sources[s].start <= tile.at && tile.at < sources[s].end + k_last_picture_shown) {
                tile.source = s;  // the latest that covers it: after a clock step, the new one
            }
        }
        tiles.push_back(tile);
    }
    return tiles;
}

void write_contact_sheet(std::span<const ContactSheetSource> sources, TimeRange range,
                         const TimeZone& zone, std::string_view title,
                         const std::filesystem::path& jpeg) {
    std::string problem;
    auto* draw = reinterpret_cast<decltype(&exam_devices_contact_sheet)>(
        devices_entry("exam_devices_contact_sheet", problem));
    if (draw == nullptr) {
        throw DeviceError(
            _f("a contact sheet needs examkit's device module {}, which could not "
               "be loaded ({}); reinstall examkit",
               EXAM_DEVICES_MODULE, problem));
    }
    const std::vector<ContactSheetTile> tiles = contact_sheet_tiles(sources, range);
    write_synced(jpeg, draw(sources, tiles, range, zone, title, k_contact_sheet_layout));
}

}  // namespace exam
