#include <algorithm>

#include <exam/archive/coverage.hpp>

namespace exam {
namespace {

// A segment's `ended` is the arrival of its last packet and the next segment of the same run
// starts at the keyframe that cut it, so two segments of one unbroken recording are a frame
// apart (40 ms at 25 fps). Holes up to this long between a camera's segments are the frame
// being shown, not missing time; anything longer the recorder itself writes as a gap row (its
// reconnects, its watchdog of 10 s) or the journal explains (a stop).
constexpr Milliseconds k_frame_hole{2000};

// The state of each elementary stretch, highest precedence first: damage (its pictures may show
// it) over recorded (a picture exists) over a gap (explained) over missing.
enum class Layer { damaged, recorded, gap };

struct Mark {
    TimeRange range;
    Layer layer;
    std::string reason;
};

TimeRange clip(TimeRange range, const TimeRange& window) {
    return {std::max(range.from, window.from), std::min(range.to, window.to)};
}

// The camera's segments as the stretches they show: sorted, overlaps merged, frame holes closed.
std::vector<TimeRange> recorded_ranges(const std::string& camera,
                                       std::span<const SegmentRecord> segments) {
    std::vector<TimeRange> ranges;
    for (const auto& segment : segments) {
        // A segment of one picture (the stop cut it right after a keyframe) starts and ends
        // at once: still a picture, and still joined to the segment a frame before it.
        if (segment.camera == camera && segment.started <= segment.ended) {
            ranges.push_back({segment.started, segment.ended});
        }
    }
    std::sort(ranges.begin(), ranges.end(),
              [](const TimeRange& a, const TimeRange& b) { return a.from < b.from; });
    std::vector<TimeRange> joined;
    for (const auto& range : ranges) {
        if (!joined.empty() && range.from <= joined.back().to + k_frame_hole) {
            joined.back().to = std::max(joined.back().to, range.to);
        } else {
            joined.push_back(range);
        }
    }
    return joined;
}

std::vector<Mark> marks_of(const std::string& camera, const TimeRange& window,
                           std::span<const SegmentRecord> segments, std::span<const GapRecord> gaps,
                           std::span<const DamageRecord> damage) {
    std::vector<Mark> marks;
    auto add = [&](TimeRange range, Layer layer, std::string reason) {
        range = clip(range, window);
        if (!range.empty()) {
            marks.push_back({range, layer, std::move(reason)});
        }
    };
    for (const auto& range : recorded_ranges(camera, segments)) {
        add(range, Layer::recorded, {});
    }
    for (const auto& gap : gaps) {
        if (gap.camera == camera) {
            add({gap.started, gap.ended}, Layer::gap, gap.reason);
        }
    }
    for (const auto& lost : damage) {
        if (lost.camera == camera) {
            add({lost.started, lost.ended}, Layer::damaged, {});
        }
    }
    // Of two gap rows over the same moment, the one that began first gives the reason: it is
    // the cause the later one follows from.
    std::stable_sort(marks.begin(), marks.end(),
                     [](const Mark& a, const Mark& b) { return a.range.from < b.range.from; });
    return marks;
}

CoverageStretch state_between(TimeRange piece, const std::vector<Mark>& marks) {
    const Mark* best = nullptr;
    for (const auto& mark : marks) {
        if (mark.range.from >= piece.to) {
            break;
        }
        if (mark.range.overlaps(piece) && (best == nullptr || mark.layer < best->layer)) {
            best = &mark;
        }
    }
    if (best == nullptr) {
        return {piece, CoverageState::missing, {}};
    }
    switch (best->layer) {
        case Layer::damaged: return {piece, CoverageState::damaged, {}};
        case Layer::recorded: return {piece, CoverageState::recorded, {}};
        case Layer::gap: break;
    }
    return {piece, CoverageState::gap, best->reason};
}

void add_up(CameraCoverage& coverage) {
    for (const auto& stretch : coverage.stretches) {
        const auto length = stretch.range.length();
        switch (stretch.state) {
            case CoverageState::damaged:
                coverage.damaged += length;
                coverage.recorded += length;
                break;
            case CoverageState::recorded: coverage.recorded += length; break;
            case CoverageState::gap: coverage.gaps += length; break;
            case CoverageState::missing: coverage.missing += length; break;
        }
    }
}

}  // namespace

std::string_view to_string(CoverageState state) {
    switch (state) {
        case CoverageState::recorded: return "recorded";
        case CoverageState::gap: return "gap";
        case CoverageState::damaged: return "damaged";
        case CoverageState::missing: break;
    }
    return "missing";
}

CameraCoverage camera_coverage(std::string camera, std::string room, TimeRange window,
                               std::span<const SegmentRecord> segments,
                               std::span<const GapRecord> gaps,
                               std::span<const DamageRecord> damage) {
    CameraCoverage coverage{.camera = std::move(camera), .room = std::move(room), .window = window};
    if (window.empty()) {
        return coverage;
    }
    const auto marks = marks_of(coverage.camera, window, segments, gaps, damage);

    // Every edge of a mark cuts the window; between two cuts nothing changes.
    std::vector<TimePoint> cuts{window.from, window.to};
    for (const auto& mark : marks) {
        cuts.push_back(mark.range.from);
        cuts.push_back(mark.range.to);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
        auto stretch = state_between({cuts[i], cuts[i + 1]}, marks);
        auto& stretches = coverage.stretches;
        if (!stretches.empty() && stretches.back().state == stretch.state &&
            stretches.back().reason == stretch.reason) {
            stretches.back().range.to = stretch.range.to;
        } else {
            stretches.push_back(std::move(stretch));
        }
    }
    add_up(coverage);
    return coverage;
}

}  // namespace exam
