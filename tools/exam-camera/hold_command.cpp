// exam-camera hold / release / holds: recordings kept past retention for an appeal or an
// inspection, both journal events.
#include <iostream>
#include <memory>

#include <exam/archive/holds.hpp>
#include <exam/archive/retention_report.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "exam-camera/commands.hpp"

namespace exam::camera {
namespace {

struct HoldOptions {
    std::string exam;
    std::vector<std::string> rooms;
    std::vector<std::string> cameras;
    std::string reason;
    std::int64_t release = 0;
};

int hold(const tool::Tool& tool, const HoldOptions& options) {
    const Site site = tool.load_site();
    const HoldRecord record = hold_from_request(
        site,
        {.exam = options.exam.empty() ? std::nullopt : std::optional<std::string>{options.exam},
         .rooms = options.rooms,
         .cameras = options.cameras,
         .reason = options.reason,
         .actor = tool::acting_person().value_or("unknown")},
        exam::now());
    const std::int64_t number = place_hold(site, record);
    std::cout << _f("Hold {} placed: the recordings of", number) << '\n';
    for (const HoldScope& scope : record.scopes) {
        std::cout << "  " << describe_scope(scope, site.timezone) << '\n';
    }
    std::cout << _f("are not deleted by `exam-camera purge` until `exam-camera release {} "
                    "--reason ...`.",
                    number)
              << '\n';
    return 0;
}

int release(const tool::Tool& tool, const HoldOptions& options) {
    const Site site = tool.load_site();
    release_hold(site, options.release, options.reason, tool::acting_person().value_or("unknown"),
                 exam::now());
    std::cout << _f("Hold {} released: its recordings are deleted when their retention ends.",
                    options.release)
              << '\n';
    return 0;
}

int list_holds(const tool::Tool& tool) {
    const Site site = tool.load_site();
    std::error_code error;
    const auto file = SegmentIndex::file_in(site.paths.recordings);
    std::vector<HoldRecord> holds;
    if (std::filesystem::exists(file, error)) {
        holds = SegmentIndex::open(site.paths.recordings).holds();
    }
    write_holds(std::cout, holds, site.timezone, tool.stdout_palette());
    return 0;
}

}  // namespace

void add_hold_commands(tool::Tool& tool) {
    auto options = std::make_shared<HoldOptions>();
    auto* hold_command = tool.add_command(
        "hold",
        _("Keep recordings past retention (an appeal, an inspection): an exam's windows, rooms "
          "or cameras"),
        [&tool, options] { return hold(tool, *options); });
    hold_command->add_option("--exam", options->exam,
                             _("Each room's recording window of this exam (with --room: only "
                               "those rooms)"));
    hold_command->add_option("--room", options->rooms, _("This room (every recording of it)"))
        ->type_name("ROOM");
    hold_command->add_option("--camera", options->cameras, _("This camera (every recording)"))
        ->type_name("CAMERA");
    hold_command->add_option("--reason", options->reason, _("Why, for the journal"))->required();

    auto* release_command = tool.add_command(
        "release", _("End a hold: its recordings are deleted when their retention ends"),
        [&tool, options] { return release(tool, *options); });
    release_command
        ->add_option("HOLD", options->release, _("The hold's number (exam-camera holds)"))
        ->required();
    release_command->add_option("--reason", options->reason, _("Why, for the journal"))->required();

    tool.add_command("holds", _("List the holds, in force and released"),
                     [&tool] { return list_holds(tool); });
}

}  // namespace exam::camera
