// exam-camera purge: deletes recordings past retention, never earlier and never while held.
#include <iostream>
#include <memory>

#include <exam/archive/retention.hpp>
#include <exam/archive/retention_report.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "exam-camera/commands.hpp"

namespace exam::camera {
namespace {

struct PurgeOptions {
    bool dry_run = false;
    std::string at;  // rehearsals and tests: decide retention as if it were this time
};

int purge(const tool::Tool& tool, const PurgeOptions& options) {
    const Site site = tool.load_site();
    const TimePoint now = exam::now();
    const TimePoint decide_at =
        options.at.empty() ? now : parse_command_line_time(options.at, site.timezone, now);
    std::error_code error;
    if (!std::filesystem::exists(SegmentIndex::file_in(site.paths.recordings), error)) {
        std::cout << _f("No recordings index at {}: nothing to purge.",
                        SegmentIndex::file_in(site.paths.recordings).string())
                  << '\n';
        return 0;
    }
    SegmentIndex index = SegmentIndex::open(site.paths.recordings);
    const PurgePlan plan = plan_purge(index.segments(), index.deletions(), index.holds(),
                                      site.timezone, site.recording.keep_until, decide_at);
    const Palette palette = tool.stdout_palette();
    if (options.dry_run) {
        write_purge_plan(std::cout, plan, PurgeMode::dry_run, site.timezone, palette);
        return 0;
    }
    if (!options.at.empty()) {
        std::cerr << _f("WARNING: retention is judged at {}, not by the clock (--at is for "
                        "rehearsals and tests); the journal's purge entry says so",
                        site.timezone.format_labelled(decide_at))
                  << '\n';
    }
    const std::string actor = tool::acting_person().value_or("unknown");
    const PurgeOutcome outcome = carry_out_purge(site, index, plan, actor, now);
    write_purge_plan(std::cout, plan, PurgeMode::delete_files, site.timezone, palette);
    std::cout << _f("Deleted {} ({}); each deletion is in the index and the run in the journal.",
                    fmt::format(fmt::runtime(_n("{} file", "{} files", outcome.deleted)),
                                outcome.deleted),
                    format_byte_size(outcome.bytes))
              << '\n';
    if (!outcome.problems.empty()) {
        std::string list;
        for (const auto& problem : outcome.problems) {
            list += "\n  " + problem;
        }
        throw StorageError(
            _f("{} could not be deleted (the journal's purge entry counts them; "
               "fix the files' permissions and run the purge again):{}",
               fmt::format(fmt::runtime(_n("{} file", "{} files", outcome.problems.size())),
                           outcome.problems.size()),
               list));
    }
    return 0;
}

}  // namespace

void add_purge_command(tool::Tool& tool) {
    auto options = std::make_shared<PurgeOptions>();
    auto* command = tool.add_command(
        "purge",
        _("Delete recordings past retention (by default kept until 1 March of the next year; "
          "[recording] keep_until), never earlier and never while held"),
        [&tool, options] { return purge(tool, *options); });
    command->add_flag("--dry-run", options->dry_run,
                      _("List what would be deleted and what holds keep; delete nothing"));
    command
        ->add_option("--at", options->at,
                     _("Decide retention as if it were this time (rehearsals and tests)"))
        ->type_name("TIME");
}

}  // namespace exam::camera
