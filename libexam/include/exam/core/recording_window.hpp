// When each room is recorded around an exam: its kind's window ([recording.exam], [recording.hq],
// [recording.entrance] in the site file) laid over the exam's times. The one definition that
// export, coverage and the recording service use.
#pragma once

#include <optional>
#include <vector>

#include <exam/core/schedule.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/util/time.hpp>

namespace exam {

// A half-open stretch of time [from, to).
struct TimeRange {
    TimePoint from;
    TimePoint to;

    [[nodiscard]] bool empty() const { return to <= from; }
    [[nodiscard]] Milliseconds length() const {
        return empty() ? Milliseconds{0} : std::chrono::duration_cast<Milliseconds>(to - from);
    }
    [[nodiscard]] bool overlaps(const TimeRange& other) const {
        return from < other.to && other.from < to;
    }
    [[nodiscard]] bool contains(TimePoint time) const { return from <= time && time < to; }
    friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

// The room's recording window for the exam: from its kind's `before_start` before the start to
// its `after_end` after the end.
EXAM_EXPORT TimeRange recording_window(const Site& site, const Exam& exam, const Room& room);

// The room's windows of every exam of the site, in order of their start; windows that touch or
// overlap (two exams on one day) are joined into one.
EXAM_EXPORT std::vector<TimeRange> recording_windows(const Site& site, const Room& room);

// The window the room is in at `now`, if any (the recording service starts and stops by it).
EXAM_EXPORT std::optional<TimeRange> window_at(const Site& site, const Room& room, TimePoint now);

}  // namespace exam
