// How much disk an exam's recording takes: the cameras' bitrates over the recording window
// (from `from` to the exam's end plus [recording] after_end). One arithmetic for the
// pre-check's recording-storage check and the recorder's check before it starts.
#pragma once

#include <cstdint>
#include <span>

#include <exam/core/schedule.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>

namespace exam {

struct RecordingPlan {
    Milliseconds window{0};
    std::uint64_t bits_per_second = 0;  // all the cameras together
    std::uint64_t recording_bytes = 0;  // what the window's video takes
};

EXAM_EXPORT RecordingPlan plan_recording(std::span<const Camera* const> cameras,
                                         const ExamTimes& exam, const RecordingSettings& settings,
                                         TimePoint from);

// Every camera of the site.
EXAM_EXPORT std::vector<const Camera*> all_cameras(const Site& site);

}  // namespace exam
