#include <exam/archive/export_plan.hpp>

#include <algorithm>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <exam/recording/recording_lock.hpp>
#include <exam/util/error.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/translate.hpp>

namespace exam {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_longest_name = 64;

bool fat_safe(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

// The start time written in a segment's name ("20260601T073012Z.mp4.partial").
std::optional<TimePoint> start_in_name(const std::string& name) {
    if (name.size() < 16 || name[8] != 'T' || name[15] != 'Z') {
        return std::nullopt;
    }
    return parse_utc(fmt::format("{}-{}-{}T{}:{}:{}.000Z", name.substr(0, 4), name.substr(4, 2),
                                 name.substr(6, 2), name.substr(9, 2), name.substr(11, 2),
                                 name.substr(13, 2)));
}

// Whether a recorder is writing, or is about to write, into `window`: it holds the camera and
// the segment it writes began before the window's end (or, between two segments, the window
// has not ended yet).
bool recording_into(const fs::path& camera_folder, const TimeRange& window, TimePoint now) {
    const auto being_recorded = segments_being_recorded(camera_folder);
    if (being_recorded.empty()) {
        return false;
    }
    TimePoint writing_since = now;
    for (const auto& file : being_recorded) {
        if (file.extension() == ".partial") {
            writing_since = start_in_name(file.filename().string()).value_or(now);
        }
    }
    return writing_since < window.to;
}

std::string file_name_of(const std::string& index_file) {
    return fs::path(index_file).filename().string();
}

}  // namespace

std::uint64_t ExportPlan::bytes() const {
    std::uint64_t total = 0;
    for (const auto& camera : cameras) {
        for (const auto& segment : camera.segments) {
            total += segment.record.bytes;
        }
    }
    return total;
}

std::size_t ExportPlan::segment_count() const {
    std::size_t total = 0;
    for (const auto& camera : cameras) {
        total += camera.segments.size();
    }
    return total;
}

std::string package_safe_name(std::string_view name) {
    std::string safe;
    safe.reserve(name.size());
    for (const char c : name) {
        safe += fat_safe(c) ? c : '_';
    }
    // FAT drops a trailing dot or space, and "." and ".." are not names.
    while (!safe.empty() && safe.back() == '.') {
        safe.back() = '_';
    }
    if (safe.empty()) {
        safe = "_";
    }
    if (safe.size() > k_longest_name) {
        const std::string digest = to_hex(sha256(name)).substr(0, 8);
        safe = safe.substr(0, k_longest_name - 9) + "-" + digest;
    }
    return safe;
}

std::string package_day_folder(const Site& site, std::string_view day) {
    return package_safe_name(site.region_code + "-" + site.ppe_code) + "/" + package_safe_name(day);
}

ExportPlan plan_export(const Site& site, std::span<const CameraWindow> windows, SegmentIndex& index,
                       std::string_view day, TimePoint now) {
    ExportPlan plan;
    std::vector<std::string> still_recording;
    const std::string day_folder = package_day_folder(site, day);
    // Files purged after retention keep their rows; they are no longer there to export.
    std::set<std::string> deleted;
    for (const auto& deletion : index.deletions()) {
        deleted.insert(deletion.file);
    }
    for (const auto& chosen : windows) {
        PlannedCamera camera{.room = chosen.room, .camera = chosen.camera, .window = chosen.window};
        camera.folder = day_folder + "/" + package_safe_name(chosen.room->id) + "/" +
                        package_safe_name(chosen.camera->id);
        if (recording_into(camera_folder(site.paths.recordings, chosen.room->id, chosen.camera->id),
                           chosen.window, now)) {
            still_recording.push_back(chosen.camera->id);
        }
        for (auto& segment : index.segments(chosen.camera->id)) {
            const TimeRange span{segment.started,
                                 std::max(segment.ended, segment.started + Milliseconds{1})};
            if (segment.room != chosen.room->id || !span.overlaps(chosen.window) ||
                deleted.contains(segment.file)) {
                continue;
            }
            PlannedSegment planned;
            planned.source = site.paths.recordings / segment.file;
            planned.package_path =
                camera.folder + "/" + package_safe_name(file_name_of(segment.file));
            planned.record = std::move(segment);
            camera.segments.push_back(std::move(planned));
        }
        std::ranges::sort(camera.segments, {},
                          [](const PlannedSegment& s) { return s.record.started; });
        for (auto& gap : index.gaps(chosen.camera->id)) {
            if (gap.room == chosen.room->id &&
                TimeRange{gap.started, gap.ended}.overlaps(chosen.window)) {
                camera.gaps.push_back(std::move(gap));
            }
        }
        for (auto& damage : index.damage(chosen.camera->id)) {
            if (damage.room == chosen.room->id &&
                TimeRange{damage.started, damage.ended}.overlaps(chosen.window)) {
                camera.damage.push_back(std::move(damage));
            }
        }
        plan.cameras.push_back(std::move(camera));
    }
    if (!still_recording.empty()) {
        throw StorageError(
            _f("still recording into the range asked for: {}; a file that changes under the copy "
               "is never exported, so stop these cameras' recording first (Ctrl-C in "
               "'exam-camera record', or stop the service), then run the export again",
               fmt::format("{}", fmt::join(still_recording, ", "))));
    }
    return plan;
}

}  // namespace exam
