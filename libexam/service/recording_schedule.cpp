#include <fmt/format.h>

#include <exam/service/recording_schedule.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

std::string shown(const Site& site, TimePoint t) {
    return site.timezone.format_labelled(t);
}

Decision by_hand_decision(const Site& site, const CameraWant& want,
                          const std::optional<TimePoint>& schedule_takes_over) {
    const std::string who = want.by.empty() ? _("someone") : want.by;
    std::string why = want.on ? _f("started by hand by {} at {}", who, shown(site, want.since))
                              : _f("stopped by hand by {} at {}", who, shown(site, want.since));
    if (want.reason) {
        why += fmt::format(" ({})", *want.reason);
    }
    why += schedule_takes_over
               ? _f("; the schedule takes over at {}", shown(site, *schedule_takes_over))
               : _("; no recording window is ahead to take over");
    return Decision{want.on, WantSource::by_hand, std::move(why)};
}

Decision schedule_decision(const Site& site, const Room& room, TimePoint t) {
    if (const auto window = window_at(site, room, t)) {
        return Decision{true, WantSource::schedule,
                        _f("inside the recording window {} – {}", shown(site, window->from),
                           shown(site, window->to))};
    }
    const auto next = next_schedule_change(site, room, t);
    return Decision{
        false, WantSource::schedule,
        next ? _f("outside the recording windows; the next starts at {}", shown(site, *next))
             : _("outside the recording windows; none is ahead")};
}

}  // namespace

bool scheduled_on(const Site& site, const Room& room, TimePoint t) {
    return window_at(site, room, t).has_value();
}

std::optional<TimePoint> next_schedule_change(const Site& site, const Room& room, TimePoint t) {
    // The windows are joined where they touch, so every start and end is a real change.
    for (const TimeRange& window : recording_windows(site, room)) {
        if (window.from > t) {
            return window.from;
        }
        if (window.to > t) {
            return window.to;
        }
    }
    return std::nullopt;
}

Decision decide(const Site& site, const Room& room, const std::optional<CameraWant>& by_hand,
                TimePoint t) {
    if (by_hand && by_hand->source == WantSource::by_hand) {
        const auto takes_over = next_schedule_change(site, room, by_hand->since);
        if (!takes_over || t < *takes_over) {
            return by_hand_decision(site, *by_hand, takes_over);
        }
    }
    return schedule_decision(site, room, t);
}

std::optional<TimeRange> protected_window(const Site& site, const Room& room, TimePoint t) {
    return window_at(site, room, t);
}

}  // namespace exam
