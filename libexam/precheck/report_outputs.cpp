#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <fmt/ranges.h>

#include <exam/precheck/report_outputs.hpp>
#include <exam/precheck/run_report.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

constexpr std::array<std::string_view, 6> k_run_formats{"text", "json",       "junit",
                                                        "tap",  "prometheus", "html"};
constexpr std::array<std::string_view, 3> k_summary_formats{"text", "json", "html"};

void write_one(std::ostream& out, const ReportSpec& report, ReportKind kind,
               const ProtocolContext& protocol, const std::vector<StationRun>& stations,
               const Palette& palette) {
    if (report.format == "html") {
        write_protocol_html(out, protocol, stations);
    } else if (kind == ReportKind::summary) {
        if (report.format == "json") {
            write_summary_json(out, stations);
        } else {
            write_summary_text(out, stations, palette);
        }
    } else {
        const StationRun& run = stations.front();
        if (report.format == "json") {
            write_run_json(out, run.info, run.results);
        } else if (report.format == "junit") {
            write_run_junit(out, run.info, run.results);
        } else if (report.format == "tap") {
            write_run_tap(out, run.info, run.results);
        } else if (report.format == "prometheus") {
            write_run_prometheus(out, run.info, run.results);
        } else {
            write_run_text(out, run.info, run.results, palette);
        }
    }
}

}  // namespace

std::vector<ReportSpec> parse_report_specs(const std::vector<std::string>& specs, ReportKind kind,
                                           TerminalReport terminal) {
    const auto formats =
        kind == ReportKind::run
            ? std::vector<std::string_view>(k_run_formats.begin(), k_run_formats.end())
            : std::vector<std::string_view>(k_summary_formats.begin(), k_summary_formats.end());
    std::vector<ReportSpec> reports;
    for (const std::string& spec : specs) {
        const auto colon = spec.find(':');
        ReportSpec report{spec.substr(0, colon),
                          colon == std::string::npos ? "" : spec.substr(colon + 1)};
        if (std::find(formats.begin(), formats.end(), report.format) == formats.end()) {
            throw UsageError(_f("unknown report format \"{}\" in --report {}; the formats are {}",
                                report.format, spec, fmt::join(formats, ", ")));
        }
        reports.push_back(std::move(report));
    }
    const bool to_terminal =
        std::any_of(reports.begin(), reports.end(),
                    [](const ReportSpec& report) { return report.path.empty(); });
    if (terminal == TerminalReport::text && !to_terminal) {
        reports.insert(reports.begin(), ReportSpec{"text", ""});
    }
    return reports;
}

ProtocolContext protocol_context(const std::optional<Site>& site) {
    ProtocolContext context;
    if (site) {
        context.site = &*site;
        context.journal = read_journal_state(*site, context.journal_problem);
    } else {
        context.journal_problem = _("No site file, so no access journal.");
    }
    return context;
}

void write_reports(const std::vector<ReportSpec>& reports, ReportKind kind,
                   const ProtocolContext& protocol, const std::vector<StationRun>& stations,
                   std::ostream& out, const Palette& palette, std::ostream& notes) {
    for (const ReportSpec& report : reports) {
        if (report.path.empty()) {
            write_one(out, report, kind, protocol, stations, palette);
            out.flush();
            continue;
        }
        AtomicFileWriter file{report.path, 0644};
        write_one(file.stream(), report, kind, protocol, stations, Palette{false});
        file.commit();
        if (report.format == "html" && kind == ReportKind::run) {
            notes << _f("The readiness protocol is in {}; print it on A4 for signing.", report.path)
                  << '\n';
        }
    }
}

std::vector<std::string> mixed_report_warnings(const std::vector<std::string>& files,
                                               const std::vector<StationRun>& stations) {
    std::vector<std::string> warnings;
    std::map<std::string, std::string> first_report_of;
    std::set<std::string> exams;
    for (std::size_t i = 0; i < stations.size(); ++i) {
        const auto [where, added] = first_report_of.emplace(stations[i].info.station, files[i]);
        if (!added) {
            warnings.push_back(
                _f("station {} has two reports, {} and {}; it is counted twice — "
                   "summarise one report per station",
                   stations[i].info.station, where->second, files[i]));
        }
        exams.insert(stations[i].info.exam.value_or(_("(no exam)")));
    }
    if (exams.size() > 1) {
        warnings.push_back(
            _f("the reports are of different exams ({}); a summary is meant for "
               "one exam's morning",
               fmt::join(exams, ", ")));
    }
    return warnings;
}

}  // namespace exam
