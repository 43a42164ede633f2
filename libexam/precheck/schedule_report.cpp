#include <algorithm>

#include <nlohmann/json.hpp>

#include <exam/precheck/schedule_report.hpp>
#include <exam/util/json.hpp>
#include <exam/util/table.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

std::string describe_phase(ExamPhase phase) {
    switch (phase) {
        case ExamPhase::upcoming: return _("upcoming");
        case ExamPhase::checks_due: return _("checks due now");
        case ExamPhase::in_progress: return _("in progress");
        case ExamPhase::finished: return _("finished");
    }
    return {};
}

Color phase_color(ExamPhase phase) {
    switch (phase) {
        case ExamPhase::checks_due: return Color::yellow;
        case ExamPhase::in_progress: return Color::green;
        case ExamPhase::finished: return Color::dim;
        case ExamPhase::upcoming: break;
    }
    return Color::none;
}

// "in 1h30m" or "2h ago", rounded down to whole minutes, for the line under the table.
std::string relative(TimePoint when, TimePoint now) {
    const auto whole_minutes = [](Milliseconds span) {
        return std::chrono::duration_cast<Milliseconds>(
            std::chrono::floor<std::chrono::minutes>(span));
    };
    if (when >= now) {
        return _f("in {}", format_span(whole_minutes(when - now)));
    }
    return _f("{} ago", format_span(whole_minutes(now - when)));
}

}  // namespace

void write_schedule_text(std::ostream& out, const Site& site,
                         std::span<const ScheduleEntry> schedule, TimePoint now,
                         const Palette& palette) {
    const TimeZone& zone = site.timezone;
    out << palette.paint(
               _f("Exam point {} (region {}): {}", site.ppe_code, site.region_code, site.name),
               Color::bold)
        << '\n'
        << _f("Now {} ({}); times below are local to {}", zone.format_for_display(now),
              zone.format_rfc3339(now).substr(19), zone.name())
        << "\n\n";
    if (schedule.empty()) {
        out << _("No exams in the site file. Add [[exam]] tables to it (see docs/site-file.md).")
            << '\n';
        return;
    }
    Table table({{""},
                 {_("EXAM")},
                 {_("SUBJECT")},
                 {_("CHECKS DUE")},
                 {_("START")},
                 {_("END")},
                 {_("STATUS")}});
    for (const ScheduleEntry& entry : schedule) {
        const Color color = entry.is_next ? Color::bold : Color::none;
        std::string status = describe_phase(entry.phase);
        if (entry.is_next) {
            status = _f("next, {}", status);
        }
        table.add_row({entry.is_next ? "▶" : "",
                       {entry.exam->id, color},
                       entry.exam->subject,
                       zone.format_for_display(entry.times.checks_due),
                       zone.format_for_display(entry.times.start),
                       zone.format_for_display(entry.times.end),
                       {status, entry.is_next ? Color::bold : phase_color(entry.phase)}});
    }
    table.render(out, palette);
    const auto next = std::find_if(schedule.begin(), schedule.end(),
                                   [](const ScheduleEntry& entry) { return entry.is_next; });
    out << '\n';
    if (next == schedule.end()) {
        out << _("Every exam in the site file has ended.") << '\n';
    } else if (next->phase == ExamPhase::upcoming) {
        out << _f("Next: {} starts {}; its checks are due {}.", next->exam->id,
                  relative(next->times.start, now), relative(next->times.checks_due, now))
            << '\n';
    } else if (next->phase == ExamPhase::checks_due) {
        out << _f("Next: {} starts {}; its checks are due now.", next->exam->id,
                  relative(next->times.start, now))
            << '\n';
    } else {
        out << _f("Now: {} is in progress and ends {}.", next->exam->id,
                  relative(next->times.end, now))
            << '\n';
    }
}

void write_schedule_json(std::ostream& out, const Site& site,
                         std::span<const ScheduleEntry> schedule, TimePoint now) {
    const TimeZone& zone = site.timezone;
    Json exams = Json::array();
    Json next = nullptr;
    for (const ScheduleEntry& entry : schedule) {
        exams.push_back({{"id", entry.exam->id},
                         {"subject", entry.exam->subject},
                         {"checks_due", zone.format_rfc3339(entry.times.checks_due)},
                         {"start", zone.format_rfc3339(entry.times.start)},
                         {"end", zone.format_rfc3339(entry.times.end)},
                         {"checks_due_utc", format_utc(entry.times.checks_due)},
                         {"start_utc", format_utc(entry.times.start)},
                         {"end_utc", format_utc(entry.times.end)},
                         {"check_lead", format_duration(entry.exam->check_lead)},
                         {"duration", format_duration(entry.exam->duration)},
                         {"status", to_string(entry.phase)},
                         {"next", entry.is_next}});
        if (entry.is_next) {
            next = entry.exam->id;
        }
    }
    write_json(out, {{"version", 1},
                     {"ppe_code", site.ppe_code},
                     {"region", site.region_code},
                     {"timezone", zone.name()},
                     {"now", format_utc(now)},
                     {"next", std::move(next)},
                     {"exams", std::move(exams)}});
}

}  // namespace exam
