// When each exam's checks are due, when it starts and ends, and which one comes next.
#pragma once

#include <string_view>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/util/time.hpp>

namespace exam {

enum class ExamPhase {
    upcoming,     // before its check window opens
    checks_due,   // check window open: start minus check_lead up to the start
    in_progress,  // from the start to the end
    finished,
};

EXAM_EXPORT std::string_view to_string(ExamPhase phase);

struct ExamTimes {
    TimePoint checks_due;
    TimePoint start;
    TimePoint end;
};

// The exam's instants; the loader has already refused starts that a clock change makes
// ambiguous, so this cannot fail for an exam of a loaded site.
EXAM_EXPORT ExamTimes exam_times(const Exam& exam, const TimeZone& zone);
EXAM_EXPORT ExamPhase exam_phase(const ExamTimes& times, TimePoint now);

struct ScheduleEntry {
    const Exam* exam;
    ExamTimes times;
    ExamPhase phase;
    bool is_next;  // the first exam, by start, that has not ended
};

// The site's exams in order of their start.
EXAM_EXPORT std::vector<ScheduleEntry> build_schedule(const Site& site, TimePoint now);

}  // namespace exam
