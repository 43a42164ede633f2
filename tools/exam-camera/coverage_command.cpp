// exam-camera coverage: how much of each camera's window is recorded, explained, or missing.
#include <algorithm>
#include <iostream>
#include <memory>

#include <exam/archive/camera_coverages.hpp>
#include <exam/archive/coverage_report.hpp>
#include <exam/util/translate.hpp>

#include "exam-camera/commands.hpp"

namespace exam::camera {
namespace {

struct CoverageOptions {
    RangeOptions range;
    bool json = false;
};

int coverage(const tool::Tool& tool, const CoverageOptions& options) {
    const Site site = tool.load_site();
    std::vector<CameraWindow> windows = camera_windows(site, options.range);
    // A window still open is counted up to now: the rest is not missing, it has not happened.
    const TimePoint now = exam::now();
    for (CameraWindow& chosen : windows) {
        chosen.window.to = std::max(chosen.window.from, std::min(chosen.window.to, now));
    }
    const std::vector<CameraCoverage> coverages = camera_coverages(site, windows);
    if (options.json) {
        write_coverage_json(std::cout, coverages);
    } else {
        write_coverage_text(std::cout, coverages, site.timezone, tool.stdout_palette());
    }
    return all_explained(coverages) ? 0 : 2;
}

}  // namespace

void add_coverage_command(tool::Tool& tool) {
    auto options = std::make_shared<CoverageOptions>();
    auto* command = tool.add_command(
        "coverage",
        _("How much of each camera's recording window is recorded, in gaps (with their "
          "reasons), damaged, or missing with no explanation (exit 2)"),
        [&tool, options] { return coverage(tool, *options); });
    command->add_option("--exam", options->range.exam,
                        _("Each room's recording window of this exam"));
    command->add_option("--from", options->range.from, _("Start of the range (site's zone)"))
        ->type_name("TIME");
    command->add_option("--to", options->range.to, _("End of the range"))->type_name("TIME");
    command->add_option("--room", options->range.cameras.rooms, _("Every camera of this room"))
        ->type_name("ROOM");
    command->add_option("--camera", options->range.cameras.cameras, _("This camera"))
        ->type_name("CAMERA");
    command->add_flag("--json", options->json, _("JSON on standard output (times in UTC)"));
}

}  // namespace exam::camera
