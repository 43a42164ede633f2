// When a room records by itself (its recording windows, core/recording_window.hpp), and how a
// start or stop by hand wins over that.
//
// The rule: a want by hand holds until the schedule next changes after it was made (a window of
// the room starts or ends); from then on the schedule decides again. So a start by hand before
// a window keeps recording into the window, and the window's end stops it; a stop by hand
// inside a window (forced, with a reason) holds until the window's end; a start by hand after
// the last window keeps recording until the next window, if any, begins and ends.
#pragma once

#include <optional>
#include <string>

#include <exam/core/recording_window.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/service/wanted_state.hpp>
#include <exam/util/time.hpp>

namespace exam {

// Whether the schedule wants the room recording at `t`: `t` is inside one of its windows.
EXAM_EXPORT bool scheduled_on(const Site& site, const Room& room, TimePoint t);

// The first moment after `t` (strictly) at which scheduled_on changes for the room: the start or
// end of one of its windows over all the site's exams; nullopt when none is ahead.
EXAM_EXPORT std::optional<TimePoint> next_schedule_change(const Site& site, const Room& room,
                                                          TimePoint t);

struct Decision {
    bool on = false;
    WantSource source = WantSource::schedule;
    std::string why;  // for people, in the site's timezone: which window, or whose hand
};

// What a camera of the room should be doing at `t`. `by_hand` is the camera's want as stored;
// a want whose source is the schedule is no hand's and does not count.
EXAM_EXPORT Decision decide(const Site& site, const Room& room,
                            const std::optional<CameraWant>& by_hand, TimePoint t);

// The room's window when `t` is inside one: a stop then needs --force and a reason.
EXAM_EXPORT std::optional<TimeRange> protected_window(const Site& site, const Room& room,
                                                      TimePoint t);

}  // namespace exam
