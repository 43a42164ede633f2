// exam-precheck: readiness checks of the exam point's stations, and the exam schedule they
// are timed against.
#include <algorithm>
#include <iostream>

#include <unistd.h>

#include <exam/core/schedule.hpp>
#include <exam/journal/site_journal.hpp>
#include <exam/precheck/history.hpp>
#include <exam/precheck/protocol.hpp>
#include <exam/precheck/report_outputs.hpp>
#include <exam/precheck/run_journal.hpp>
#include <exam/precheck/run_report.hpp>
#include <exam/precheck/runner.hpp>
#include <exam/precheck/schedule_report.hpp>
#include <exam/precheck/selection.hpp>
#include <exam/precheck/suite.hpp>
#include <exam/precheck/waivers.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
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

struct RunCommandOptions {
    std::string suite;
    std::string exam;
    std::string station;
    std::string at;
    std::vector<std::string> tags;
    std::vector<std::string> only;
    std::vector<std::string> reports;
    std::string waivers;
    std::string history;
    unsigned jobs = 8;
    bool quiet = false;
};

std::string host_name() {
    char name[256] = {};
    return ::gethostname(name, sizeof name - 1) == 0 ? std::string{name} : std::string{"station"};
}

struct SummaryOptions {
    std::vector<std::string> reports_in;
    std::vector<std::string> reports_out;
    bool quiet = false;
};

// The exam point's readiness from its stations' JSON reports.
int summarise(const exam::tool::Tool& tool, const SummaryOptions& options) {
    const std::vector<exam::ReportSpec> outputs = exam::parse_report_specs(
        options.reports_out, exam::ReportKind::summary,
        options.quiet ? exam::TerminalReport::quiet : exam::TerminalReport::text);
    const std::optional<exam::Site> site = tool.load_site_if_any();
    std::vector<exam::StationRun> stations;
    for (const std::string& file : options.reports_in) {
        stations.push_back(exam::read_run_report(file));
        if (site) {
            stations.back().info.zone = site->timezone;
        }
    }
    for (const std::string& warning : exam::mixed_report_warnings(options.reports_in, stations)) {
        std::cerr << "exam-precheck: " << _("warning: ") << warning << std::endl;
    }
    exam::write_reports(outputs, exam::ReportKind::summary, exam::protocol_context(site), stations,
                        std::cout, tool.stdout_palette(), std::cerr);
    return static_cast<int>(exam::summary_exit_code(stations));
}

// Evidence is never silent: a run that should go into the journal and cannot is said before
// the checks and after them (and in the reports), though it does not change the verdict.
void warn_not_journalled(const std::string& problem) {
    std::cerr << "exam-precheck: " << _("WARNING: ")
              << _f("this run will NOT be recorded in the access journal: {}", problem)
              << std::endl;
}

int run_checks(const exam::tool::Tool& tool, const RunCommandOptions& options) {
    // Everything that can be wrong in the input is found before the first check runs.
    const exam::Suite suite = exam::load_suite(options.suite);
    const std::vector<exam::ReportSpec> reports = exam::parse_report_specs(
        options.reports, exam::ReportKind::run,
        options.quiet ? exam::TerminalReport::quiet : exam::TerminalReport::text);
    // The site gives the timezone, the exam, the journal and the history; a run without a
    // site still checks the station.
    const std::optional<exam::Site> site = tool.load_site_if_any();
    if (!site && (!options.exam.empty() || !options.at.empty())) {
        throw exam::UsageError(_("--exam and --at need the site file (--site FILE or EXAM_SITE)"));
    }
    // --only and waivers name checks as they run: a camera check once per camera
    // ("cameras:0101-front").
    const std::vector<exam::CheckSpec> expanded =
        exam::expand_checks(suite, site ? &*site : nullptr);
    exam::check_selection(options.only, options.tags, suite, expanded);
    const exam::TimeZone zone = site ? site->timezone : *exam::TimeZone::find("UTC");
    exam::RunOptions run{.jobs = std::max(1u, options.jobs),
                         .only = options.only,
                         .tags = options.tags,
                         .now = options.at.empty()
                                    ? exam::now()
                                    : exam::parse_command_line_time(options.at, zone, exam::now()),
                         .exam = {}};
    run.check_program = "/proc/self/exe";  // this very binary, wherever it is installed
    exam::RunInfo info{.time = run.now,
                       .station = options.station.empty() ? host_name() : options.station};
    const std::vector<exam::Waiver> waivers =
        options.waivers.empty() ? std::vector<exam::Waiver>{}
                                : exam::load_waivers(options.waivers, zone, expanded);
    if (site) {
        info.zone = site->timezone;
        run.site_timezone = site->timezone.name();
        run.site = &*site;
        const auto today = site->exams_on_day_of(run.now);
        const exam::Exam* exam = !options.exam.empty() ? site->find_exam(options.exam)
                                 : today.size() == 1   ? today.front()
                                                       : nullptr;
        if (!options.exam.empty() && exam == nullptr) {
            throw exam::UsageError(_f("exam \"{}\" is not in the site file", options.exam) +
                                   site->suggest_exam(options.exam));
        }
        if (exam != nullptr) {
            run.exam = exam::exam_times(*exam, site->timezone);
            info.exam = exam->id;
            info.exam_start = run.exam->start;
        }
    }

    // Without a site there is no journal to miss.
    exam::SiteJournal journal =
        site ? exam::open_site_journal(*site)
             : exam::SiteJournal{.journal = {}, .kept = false, .problem = {}};
    if (journal.missing()) {
        warn_not_journalled(journal.problem);
    }

    auto results = exam::run_suite(suite, run);
    exam::apply_waivers(results, waivers, run.now, zone);
    // Into the journal first, so that the protocol's checkpoint covers this run too.
    exam::record_run_in_journal(journal, info, results, exam::tool::acting_person());
    journal.journal.reset();
    exam::write_reports(reports, exam::ReportKind::run, exam::protocol_context(site),
                        {exam::StationRun{info, results}}, std::cout, tool.stdout_palette(),
                        std::cerr);
    if (info.journalled == exam::RunJournalled::no) {
        std::cerr << "exam-precheck: " << _("WARNING: ")
                  << _f("this run was NOT recorded in the access journal (the verdict stands): {}",
                        info.journal_problem)
                  << std::endl;
    }
    // Kept for `exam-precheck history`: --history, else the site's data folder.
    std::filesystem::path history = options.history;
    if (history.empty() && site) {
        history = exam::default_history_file(site->paths.data);
    }
    if (!history.empty()) {
        try {
            exam::record_run(history, info, options.suite, results);
        } catch (const exam::Error& e) {
            std::cerr << "exam-precheck: " << _("warning: ")
                      << _f("the run was not kept in the history: {}", e.what()) << '\n';
        }
    }
    return static_cast<int>(exam::run_exit_code(results));
}

}  // namespace

int main(int argc, char** argv) {
    // The runner starts this same program, freshly executed, for each check attempt.
    if (argc == 2 && std::string_view{argv[1]} == exam::k_check_program_argument) {
        exam::tool::init_tool_translation();  // its findings are for people, in their language
        return exam::serve_check_request();
    }
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
    RunCommandOptions run;
    auto* run_command = tool.add_command("run",
                                         _("Run a check suite in parallel; exit 0 all pass, 1 "
                                           "warnings, 2 a critical failure, 3 could not check"),
                                         [&] { return run_checks(tool, run); });
    run_command->add_option("--suite", run.suite, _("The check suite (TOML)"))
        ->required()
        ->type_name("FILE");
    run_command->add_option("--exam", run.exam,
                            _("The exam the run is for (default: the site's only exam today)"));
    run_command->add_option("--station", run.station,
                            _("This station's name in reports (default: the host name)"));
    run_command->add_option("--tag", run.tags, _("Run only checks with this tag (repeatable)"));
    run_command->add_option(
        "--only", run.only,
        _("Run only the check with this id (repeatable); CHECK:CAMERA picks one camera "
          "of a camera check"));
    run_command->add_option("--jobs", run.jobs, _("How many checks run at once"))
        ->check(CLI::Range(1u, 64u));
    run_command->add_option("--at", run.at, _("Pretend it is this time (rehearsals)"))
        ->type_name("TIME");
    run_command
        ->add_option("--history", run.history,
                     _("Keep the run in this history database (default: the site's data folder)"))
        ->type_name("FILE");
    run_command
        ->add_option("--waivers", run.waivers,
                     _("Approved exceptions: a TOML file of [[waiver]] id, justification, "
                       "approved_by, expires"))
        ->type_name("FILE");
    run_command->add_option(
        "--report", run.reports,
        _("FORMAT[:PATH], repeatable: text, json, junit, tap, prometheus, or html "
          "(the printable readiness protocol); the text report goes to the terminal as well "
          "unless another report does"));
    run_command->add_flag("--quiet", run.quiet,
                          _("No text report on the terminal (only the --report files)"));

    SummaryOptions summary;
    auto* summary_command = tool.add_command(
        "summary",
        _("Merge the stations' JSON reports into the exam point's readiness table; exit as run "
          "does, for the worst station"),
        [&] { return summarise(tool, summary); });
    summary_command->add_option("reports", summary.reports_in, _("The stations' JSON reports"))
        ->required()
        ->type_name("REPORT.json");
    summary_command->add_option("--report", summary.reports_out,
                                _("FORMAT[:PATH], repeatable: text, json, or html (the printable "
                                  "protocol of the whole exam point); the text summary goes to "
                                  "the terminal as well unless another report does"));
    summary_command->add_flag("--quiet", summary.quiet,
                              _("No text summary on the terminal (only the --report files)"));
    std::string history_file;
    std::string history_check;
    std::size_t history_limit = 20;
    auto* history_command = tool.add_command(
        "history", _("Show past runs, or how one check's observed value moved"), [&] {
            std::optional<exam::TimeZone> zone;
            std::filesystem::path file = history_file;
            if (file.empty()) {
                const exam::Site site = tool.load_site();
                zone = site.timezone;
                file = exam::default_history_file(site.paths.data);
            }
            exam::write_history_text(
                std::cout, file,
                history_check.empty() ? std::nullopt : std::optional<std::string>{history_check},
                history_limit, zone, tool.stdout_palette());
            return 0;
        });
    history_command
        ->add_option("--check", history_check, _("Show this check's results over the runs"))
        ->type_name("ID");
    history_command->add_option("--limit", history_limit, _("How many runs (default 20)"));
    history_command
        ->add_option("--history", history_file,
                     _("The history database (default: the site's data folder)"))
        ->type_name("FILE");

    std::string suite_file;
    auto* list_command =
        tool.add_command("list", _("List a suite's checks without running them"), [&] {
            exam::write_suite_text(std::cout, exam::load_suite(suite_file), tool.stdout_palette());
            return 0;
        });
    list_command->add_option("--suite", suite_file, _("The check suite (TOML)"))
        ->required()
        ->type_name("FILE");
    auto* lint_command = tool.add_command(
        "lint", _("Check a suite strictly without running it; exit 78 when it is wrong"), [&] {
            const exam::Suite suite = exam::load_suite(suite_file);
            // With a site, its cameras and rooms are checked as `run` checks them: the same
            // expansion, so that lint refuses what run would refuse.
            if (const std::optional<exam::Site> site = tool.load_site_if_any()) {
                (void)exam::expand_checks(suite, &*site);
            }
            std::size_t without_hint = 0;
            for (const exam::CheckSpec& check : suite.checks) {
                if (check.hint.empty() && check.type != "window") {
                    ++without_hint;
                    std::cout << _f("{}:{}: note: check \"{}\" has no hint saying what to do when "
                                    "it fails",
                                    suite.file.string(), check.line, check.id)
                              << '\n';
                }
            }
            std::cout << _f("{}: {} checks, valid", suite.file.string(), suite.checks.size())
                      << '\n';
            return 0;
        });
    lint_command->add_option("--suite", suite_file, _("The check suite (TOML)"))
        ->required()
        ->type_name("FILE");
    return tool.run(argc, argv);
}
