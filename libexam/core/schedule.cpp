#include <algorithm>

#include <exam/core/schedule.hpp>
#include <exam/util/error.hpp>

namespace exam {

std::string_view to_string(ExamPhase phase) {
    switch (phase) {
        case ExamPhase::upcoming: return "upcoming";
        case ExamPhase::checks_due: return "checks_due";
        case ExamPhase::in_progress: return "in_progress";
        case ExamPhase::finished: return "finished";
    }
    return "upcoming";
}

ExamTimes exam_times(const Exam& exam, const TimeZone& zone) {
    const auto start = zone.from_local(std::chrono::local_days{exam.date} + exam.start_time);
    if (!start) {
        throw InternalError("exam \"" + exam.id +
                            "\" has a start time that the site's timezone "
                            "cannot place; the site loader should have refused it");
    }
    return ExamTimes{*start - exam.check_lead, *start, *start + exam.duration};
}

ExamPhase exam_phase(const ExamTimes& times, TimePoint now) {
    if (now >= times.end) {
        return ExamPhase::finished;
    }
    if (now >= times.start) {
        return ExamPhase::in_progress;
    }
    if (now >= times.checks_due) {
        return ExamPhase::checks_due;
    }
    return ExamPhase::upcoming;
}

std::vector<ScheduleEntry> build_schedule(const Site& site, TimePoint now) {
    std::vector<ScheduleEntry> entries;
    for (const Exam& exam : site.exams) {
        const ExamTimes times = exam_times(exam, site.timezone);
        entries.push_back(ScheduleEntry{&exam, times, exam_phase(times, now), false});
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.times.start < b.times.start; });
    const auto next = std::find_if(entries.begin(), entries.end(), [](const ScheduleEntry& entry) {
        return entry.phase != ExamPhase::finished;
    });
    if (next != entries.end()) {
        next->is_next = true;
    }
    return entries;
}

}  // namespace exam
