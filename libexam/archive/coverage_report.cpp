#include <nlohmann/json.hpp>

#include <exam/archive/coverage_report.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/json.hpp>
#include <exam/util/table.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

std::string state_words(CoverageState state) {
    switch (state) {
        case CoverageState::recorded: return _("recorded");
        case CoverageState::gap: return _("gap");
        case CoverageState::damaged: return _("damaged");
        case CoverageState::missing: break;
    }
    return _("MISSING");
}

Color state_color(CoverageState state) {
    switch (state) {
        case CoverageState::recorded: return Color::green;
        case CoverageState::gap: return Color::yellow;
        case CoverageState::damaged: return Color::yellow;
        case CoverageState::missing: break;
    }
    return Color::red;
}

void write_camera(std::ostream& out, const CameraCoverage& coverage, const TimeZone& zone,
                  const Palette& palette) {
    out << palette.paint(
               _f("{} / {}: {} to {}", for_terminal(coverage.room), for_terminal(coverage.camera),
                  zone.format_labelled(coverage.window.from, TimePrecision::seconds),
                  zone.format_labelled(coverage.window.to, TimePrecision::seconds)),
               Color::bold)
        << '\n';
    out << _f("window {}, recorded {}, gaps {}, damaged {}, missing {}",
              format_span(coverage.window.length()), format_span(coverage.recorded),
              format_span(coverage.gaps), format_span(coverage.damaged),
              format_span(coverage.missing))
        << '\n';
    if (coverage.stretches.empty()) {
        out << '\n';
        return;
    }
    Table table({{_("FROM")}, {_("TO")}, {_("LENGTH"), Align::right}, {_("STATE")}, {_("REASON")}});
    for (const CoverageStretch& stretch : coverage.stretches) {
        table.add_row({zone.format_for_display(stretch.range.from, TimePrecision::seconds),
                       zone.format_for_display(stretch.range.to, TimePrecision::seconds),
                       format_span(stretch.range.length()),
                       {state_words(stretch.state), state_color(stretch.state)},
                       for_terminal(stretch.reason)});
    }
    table.render(out, palette);
    out << '\n';
}

}  // namespace

bool all_explained(std::span<const CameraCoverage> coverages) {
    for (const auto& coverage : coverages) {
        if (!coverage.complete()) {
            return false;
        }
    }
    return true;
}

void write_coverage_text(std::ostream& out, std::span<const CameraCoverage> coverages,
                         const TimeZone& zone, const Palette& palette) {
    for (const auto& coverage : coverages) {
        write_camera(out, coverage, zone, palette);
    }
    if (all_explained(coverages)) {
        out << palette.paint(_("Every moment of the windows is recorded or explained."),
                             Color::green)
            << '\n';
        return;
    }
    for (const auto& coverage : coverages) {
        if (coverage.complete()) {
            continue;
        }
        std::string when;
        for (const auto& stretch : coverage.stretches) {
            if (stretch.state == CoverageState::missing) {
                when += when.empty() ? "" : ", ";
                when += _f("{} to {}",
                           zone.format_for_display(stretch.range.from, TimePrecision::seconds),
                           zone.format_for_display(stretch.range.to, TimePrecision::seconds));
            }
        }
        out << palette.paint(_f("MISSING: {} / {}: {} with no recording and no explanation ({})",
                                for_terminal(coverage.room), for_terminal(coverage.camera),
                                format_span(coverage.missing), when),
                             Color::red)
            << '\n';
    }
    out << _("Look for those recordings (another disk, a copy made earlier) and find out why "
             "they are missing (`exam-journal list --room ROOM`); tell the commission in writing, "
             "and record it with `exam-journal event --kind other --camera CAMERA --note ...`.")
        << '\n';
}

void write_coverage_json(std::ostream& out, std::span<const CameraCoverage> coverages) {
    Json cameras = Json::array();
    for (const auto& coverage : coverages) {
        Json stretches = Json::array();
        for (const auto& stretch : coverage.stretches) {
            Json item{{"from", format_utc(stretch.range.from)},
                      {"to", format_utc(stretch.range.to)},
                      {"state", std::string{to_string(stretch.state)}}};
            if (!stretch.reason.empty()) {
                item["reason"] = stretch.reason;
            }
            stretches.push_back(std::move(item));
        }
        cameras.push_back(Json{
            {"room", coverage.room},
            {"camera", coverage.camera},
            {"window",
             {{"from", format_utc(coverage.window.from)}, {"to", format_utc(coverage.window.to)}}},
            {"recorded_ms", coverage.recorded.count()},
            {"gaps_ms", coverage.gaps.count()},
            {"damaged_ms", coverage.damaged.count()},
            {"missing_ms", coverage.missing.count()},
            {"complete", coverage.complete()},
            {"stretches", std::move(stretches)}});
    }
    write_json(out, Json{{"version", 1},
                         {"complete", all_explained(coverages)},
                         {"cameras", std::move(cameras)}});
}

}  // namespace exam
