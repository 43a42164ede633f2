#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include <exam/archive/camera_coverages.hpp>
#include <exam/journal/journal.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

// As in coverage.cpp: two segments of one unbroken recording are a frame apart.
constexpr Milliseconds k_frame_hole{2000};

std::string switched_off_reason(const JournalEntry& stop) {
    if (stop.reason && stop.actor) {
        return _f("recording switched off ({}) by {}", *stop.reason, *stop.actor);
    }
    if (stop.reason) {
        return _f("recording switched off ({})", *stop.reason);
    }
    if (stop.actor) {
        return _f("recording switched off by {}", *stop.actor);
    }
    return _("recording switched off");
}

// The end of the latest row that ends within [not_before, at] and within `margin` of `at`.
TimePoint reach_back(TimePoint at, TimePoint not_before, std::span<const TimeRange> rows,
                     Milliseconds margin) {
    std::optional<TimePoint> reached;
    for (const TimeRange& row : rows) {
        if (row.to <= at && row.to >= not_before && row.to >= at - margin) {
            reached = std::max(reached.value_or(row.to), row.to);
        }
    }
    return reached.value_or(at);
}

// The start of the earliest row that starts within [at, before), if within `margin` of `at`.
TimePoint reach_on(TimePoint at, TimePoint before, std::span<const TimeRange> rows,
                   Milliseconds margin) {
    std::optional<TimePoint> reached;
    for (const TimeRange& row : rows) {
        if (row.from >= at && row.from < before && row.from <= at + margin) {
            reached = std::min(reached.value_or(row.from), row.from);
        }
    }
    return reached.value_or(at);
}

// Every `recording-start` and `recording-stop` of the site's journal, by camera, in order.
std::map<std::string, std::vector<JournalEntry>> switches_by_camera(const Site& site) {
    std::map<std::string, std::vector<JournalEntry>> switches;
    std::error_code error;
    if (!site.journal.keep || !std::filesystem::exists(site.paths.journal, error)) {
        return switches;
    }
    Journal journal = Journal::open_read_only(site.paths.journal);
    for_each_entry(
        journal.database(),
        [&](const JournalEntry& entry, const merkle::Hash&) {
            if (entry.camera) {
                switches[*entry.camera].push_back(entry);
            }
        },
        "kind IN ('recording-start', 'recording-stop')");
    return switches;
}

}  // namespace

std::vector<GapRecord> switched_off_stretches(std::span<const JournalEntry> entries,
                                              const std::string& camera,
                                              std::span<const TimeRange> rows, TimePoint until,
                                              Milliseconds margin) {
    std::vector<const JournalEntry*> switches;
    for (const JournalEntry& entry : entries) {
        if (entry.camera == camera &&
            (entry.kind == EntryKind::recording_start || entry.kind == EntryKind::recording_stop)) {
            switches.push_back(&entry);
        }
    }
    std::stable_sort(
        switches.begin(), switches.end(),
        [](const JournalEntry* a, const JournalEntry* b) { return a->time < b->time; });
    std::vector<GapRecord> stretches;
    std::optional<TimePoint> last_start;
    for (std::size_t i = 0; i < switches.size(); ++i) {
        const JournalEntry& entry = *switches[i];
        if (entry.kind == EntryKind::recording_start) {
            last_start = entry.time;
            continue;
        }
        // The next start after this stop, if any.
        const JournalEntry* next_start = nullptr;
        for (std::size_t j = i + 1; j < switches.size() && next_start == nullptr; ++j) {
            if (switches[j]->kind == EntryKind::recording_start) {
                next_start = switches[j];
            }
        }
        const TimePoint from =
            reach_back(entry.time, last_start.value_or(TimePoint::min()), rows, margin);
        TimePoint to = until;
        if (next_start != nullptr) {
            const JournalEntry* stop_after = nullptr;
            for (std::size_t j = i + 1; j < switches.size() && stop_after == nullptr; ++j) {
                if (switches[j]->kind == EntryKind::recording_stop &&
                    switches[j]->time > next_start->time) {
                    stop_after = switches[j];
                }
            }
            to = reach_on(next_start->time, stop_after ? stop_after->time : until, rows, margin);
        }
        if (from < to) {
            stretches.push_back(
                {camera, entry.room.value_or(""), from, to, switched_off_reason(entry)});
        }
        last_start.reset();
    }
    return stretches;
}

std::vector<CameraCoverage> camera_coverages(const Site& site,
                                             std::span<const CameraWindow> cameras) {
    std::vector<SegmentRecord> segments;
    std::vector<GapRecord> gaps;
    std::vector<DamageRecord> damage;
    std::map<std::string, DeletionRecord> deleted;
    const auto index_file = SegmentIndex::file_in(site.paths.recordings);
    std::error_code error;
    if (std::filesystem::exists(index_file, error)) {
        SegmentIndex index = SegmentIndex::open_read_only(index_file);
        segments = index.segments();
        gaps = index.gaps();
        damage = index.damage();
        for (auto& deletion : index.deletions()) {
            deleted.emplace(deletion.file, std::move(deletion));
        }
    }
    // A deleted file is no recording any more: its time is a gap that says so, reaching over
    // the frame between it and the camera's next segment as the segment itself did.
    std::vector<SegmentRecord> kept;
    for (const SegmentRecord& segment : segments) {
        const auto found = deleted.find(segment.file);
        if (found == deleted.end()) {
            kept.push_back(segment);
            continue;
        }
        TimePoint ended = segment.ended;
        for (const SegmentRecord& next : segments) {
            if (next.camera == segment.camera && next.started >= segment.ended &&
                next.started - segment.ended <= k_frame_hole) {
                ended = std::max(ended, next.started);
            }
        }
        gaps.push_back(
            {segment.camera, segment.room, segment.started, ended,
             _f("deleted after retention on {} by {}",
                site.timezone.format_for_display(found->second.deleted_at), found->second.actor)});
    }
    const auto switches = switches_by_camera(site);
    // Connecting to a camera takes at most its watchdog before the recorder gives up and
    // writes a gap; closing the last segment takes a moment.
    const Milliseconds margin = site.recording.watchdog + std::chrono::seconds{10};

    std::vector<CameraCoverage> coverages;
    for (const CameraWindow& chosen : cameras) {
        const std::string& camera = chosen.camera->id;
        std::vector<TimeRange> rows;
        for (const auto& segment : kept) {
            if (segment.camera == camera) {
                rows.push_back({segment.started, segment.ended});
            }
        }
        for (const auto& gap : gaps) {
            if (gap.camera == camera) {
                rows.push_back({gap.started, gap.ended});
            }
        }
        std::vector<GapRecord> explained = gaps;
        if (const auto found = switches.find(camera); found != switches.end()) {
            const auto off =
                switched_off_stretches(found->second, camera, rows, chosen.window.to, margin);
            explained.insert(explained.end(), off.begin(), off.end());
        }
        coverages.push_back(
            camera_coverage(camera, chosen.room->id, chosen.window, kept, explained, damage));
    }
    return coverages;
}

}  // namespace exam
