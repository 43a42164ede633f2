// `exam-precheck schedule`: the site's exams with when their checks are due, their start and
// end in the site's timezone, and the next one marked.
#pragma once

#include <ostream>
#include <span>

#include <exam/core/schedule.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/util/terminal.hpp>

namespace exam {

EXAM_EXPORT void write_schedule_text(std::ostream& out, const Site& site,
                                     std::span<const ScheduleEntry> schedule, TimePoint now,
                                     const Palette& palette);
EXAM_EXPORT void write_schedule_json(std::ostream& out, const Site& site,
                                     std::span<const ScheduleEntry> schedule, TimePoint now);

}  // namespace exam
