// How much of a camera's recording window the recordings cover: recorded, in gaps the recorder
// explained, damaged (network losses), or missing with no explanation at all — the last is what
// a commission must never see. Pure arithmetic over the index's rows, for `exam-camera
// coverage`, the export manifest and its README.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <exam/core/recording_window.hpp>
#include <exam/export.hpp>
#include <exam/recording/segment_index.hpp>

namespace exam {

// One stretch of the window and what it is.
enum class CoverageState { recorded, gap, damaged, missing };

EXAM_EXPORT std::string_view to_string(CoverageState state);

struct CoverageStretch {
    TimeRange range;
    CoverageState state = CoverageState::missing;
    std::string reason;  // a gap's reason in words; empty otherwise
};

struct CameraCoverage {
    std::string camera;
    std::string room;
    TimeRange window;
    // In time order, touching, covering the whole window exactly once. Damage wins over
    // recorded (its pictures may show it); recorded wins over a gap row that overlaps it.
    std::vector<CoverageStretch> stretches;
    Milliseconds recorded{0};  // recorded includes damaged time; damaged is also given alone
    Milliseconds damaged{0};
    Milliseconds gaps{0};
    Milliseconds missing{0};

    [[nodiscard]] bool complete() const { return missing.count() == 0; }
};

// The coverage of one camera's window by its segments, gaps and damage (rows of other cameras
// are ignored; rows may come in any order and overlap).
EXAM_EXPORT CameraCoverage camera_coverage(std::string camera, std::string room, TimeRange window,
                                           std::span<const SegmentRecord> segments,
                                           std::span<const GapRecord> gaps,
                                           std::span<const DamageRecord> damage);

}  // namespace exam
