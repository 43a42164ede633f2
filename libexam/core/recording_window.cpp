#include <algorithm>

#include <exam/core/recording_window.hpp>

namespace exam {

TimeRange recording_window(const Site& site, const Exam& exam, const Room& room) {
    const ExamTimes times = exam_times(exam, site.timezone);
    const WindowSettings& window = site.recording.window(room.kind);
    return TimeRange{times.start - window.before_start, times.end + window.after_end};
}

std::vector<TimeRange> recording_windows(const Site& site, const Room& room) {
    std::vector<TimeRange> windows;
    windows.reserve(site.exams.size());
    for (const Exam& exam : site.exams) {
        windows.push_back(recording_window(site, exam, room));
    }
    std::sort(windows.begin(), windows.end(),
              [](const TimeRange& a, const TimeRange& b) { return a.from < b.from; });
    std::vector<TimeRange> joined;
    for (const TimeRange& window : windows) {
        if (!joined.empty() && window.from <= joined.back().to) {
            joined.back().to = std::max(joined.back().to, window.to);
        } else {
            joined.push_back(window);
        }
    }
    return joined;
}

std::optional<TimeRange> window_at(const Site& site, const Room& room, TimePoint now) {
    for (const TimeRange& window : recording_windows(site, room)) {
        if (window.contains(now)) {
            return window;
        }
    }
    return std::nullopt;
}

}  // namespace exam
