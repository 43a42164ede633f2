#include <algorithm>

#include <exam/archive/camera_windows.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {

namespace {

// The --from/--to stretch, checked.
TimeRange typed_range(const Site& site, const RangeOptions& options) {
    if (options.from.empty() || options.to.empty()) {
        throw UsageError(_f("{} needs {} too: give the stretch as --from TIME --to TIME",
                            options.from.empty() ? "--to" : "--from",
                            options.from.empty() ? "--from" : "--to"));
    }
    const TimePoint today = now();
    const TimeRange range{parse_command_line_time(options.from, site.timezone, today),
                          parse_command_line_time(options.to, site.timezone, today)};
    if (range.empty()) {
        throw UsageError(_f("--to {} must be after --from {}", options.to, options.from));
    }
    return range;
}

}  // namespace

std::vector<CameraWindow> camera_windows(const Site& site, const RangeOptions& options) {
    const bool by_time = !options.from.empty() || !options.to.empty();
    if (options.exam.empty() && !by_time) {
        throw UsageError(
            _("say which recordings: --exam ID (each room's recording window of "
              "that exam) or --from TIME --to TIME"));
    }
    if (!options.exam.empty() && by_time) {
        throw UsageError(
            _("--exam and --from/--to cannot be combined: the exam gives each "
              "room's window itself"));
    }
    const Exam* exam = nullptr;
    std::optional<TimeRange> typed;
    if (by_time) {
        typed = typed_range(site, options);
    } else {
        exam = site.find_exam(options.exam);
        if (exam == nullptr) {
            throw UsageError(_f("--exam {}: the site has no such exam", options.exam) +
                             site.suggest_exam(options.exam));
        }
    }
    std::vector<CameraWindow> windows;
    for (const ChosenCamera& chosen : chosen_cameras(site, options.cameras)) {
        windows.push_back({chosen.room, chosen.camera,
                           typed ? *typed : recording_window(site, *exam, *chosen.room)});
    }
    return windows;
}

TimeRange overall_range(const std::vector<CameraWindow>& windows) {
    TimeRange range{};
    for (const CameraWindow& window : windows) {
        if (range.empty()) {
            range = window.window;
            continue;
        }
        range.from = std::min(range.from, window.window.from);
        range.to = std::max(range.to, window.window.to);
    }
    return range;
}

}  // namespace exam
