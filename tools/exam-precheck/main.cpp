// exam-precheck: readiness checks of the exam point's stations, and the exam schedule they
// are timed against.
#include <iostream>

#include <exam/core/schedule.hpp>
#include <exam/precheck/schedule_report.hpp>
#include <exam/util/translate.hpp>

#include "common/tool.hpp"

namespace {

struct ScheduleOptions {
    bool json = false;
    std::string at;  // pretend it is this time (rehearsals); empty means now
};

int show_schedule(const exam::tool::Tool& tool, const ScheduleOptions& options) {
    const exam::Site site = tool.load_site();
    const exam::TimePoint now =
        options.at.empty() ? exam::now()
                           : exam::parse_command_line_time(options.at, site.timezone, exam::now());
    const auto schedule = exam::build_schedule(site, now);
    if (options.json) {
        exam::write_schedule_json(std::cout, site, schedule, now);
    } else {
        exam::write_schedule_text(std::cout, site, schedule, now, tool.stdout_palette());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    exam::tool::Tool tool("exam-precheck",
                          _("Readiness checks for an exam point's stations, timed against the "
                            "exam schedule."));
    ScheduleOptions schedule;
    auto* command = tool.add_command(
        "schedule",
        _("List the exams with when their checks are due, start and end; mark the next"),
        [&] { return show_schedule(tool, schedule); });
    command->add_flag("--json", schedule.json, _("Print the schedule as JSON"));
    command
        ->add_option("--at", schedule.at,
                     _("Pretend it is this time: RFC 3339, or a local time in the site's "
                       "timezone (\"2026-06-01 07:45\", \"07:45\")"))
        ->type_name("TIME");
    return tool.run(argc, argv);
}
