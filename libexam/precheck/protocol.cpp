#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include <exam/journal/journal.hpp>
#include <exam/precheck/protocol.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/json.hpp>
#include <exam/util/table.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "precheck/observed_json.hpp"

namespace exam {
namespace {

std::string verdict(ExitCode code) {
    switch (code) {
        case ExitCode::ok: return _("READY");
        case ExitCode::warnings: return _("READY, with warnings");
        case ExitCode::negative: return _("NOT READY");
        default: return _("NOT FULLY CHECKED");
    }
}

std::string verdict_class(ExitCode code) {
    switch (code) {
        case ExitCode::ok: return "ready";
        case ExitCode::warnings: return "warnings";
        default: return "not-ready";
    }
}

std::string outcome_text(CheckStatus status) {
    switch (status) {
        case CheckStatus::pass: return _("pass");
        case CheckStatus::warn: return _("warning");
        case CheckStatus::fail: return _("FAIL");
        case CheckStatus::error: return _("not checked");
        case CheckStatus::skip: return _("skipped");
        case CheckStatus::waived: return _("waived");
    }
    return "?";
}

bool is_problem(CheckStatus status) {
    return status == CheckStatus::fail || status == CheckStatus::error ||
           status == CheckStatus::warn || status == CheckStatus::waived;
}

std::string when(const RunInfo& info) {
    return info.zone ? info.zone->format_for_display(info.time) : format_utc(info.time);
}

struct Counts {
    std::map<CheckStatus, int> by_status;
    int operator[](CheckStatus status) const {
        const auto found = by_status.find(status);
        return found == by_status.end() ? 0 : found->second;
    }
};

Counts count(std::span<const CheckResult> results) {
    Counts counts;
    for (const CheckResult& result : results) {
        ++counts.by_status[result.status];
    }
    return counts;
}

// Print-first CSS: A4 portrait, small type, rows never split across pages.
constexpr std::string_view k_style = R"(
@page { size: A4 portrait; margin: 12mm 12mm 14mm 12mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8.5pt; color: #000; margin: 0; }
h1 { font-size: 13pt; margin: 0 0 4pt 0; }
h2 { font-size: 10pt; margin: 8pt 0 3pt 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #555; padding: 1.5pt 3pt; vertical-align: top; text-align: left; }
th { background: #e8e8e8; }
tr { page-break-inside: avoid; }
td.message { overflow-wrap: anywhere; }
table.header td { border: none; padding: 0.5pt 3pt 0.5pt 0; }
table.header td:first-child { width: 28%; color: #333; }
.verdict { font-size: 12pt; font-weight: bold; padding: 4pt 6pt; margin: 6pt 0; border: 1.5pt solid #000; }
.verdict.ready { background: #e3f4e3; }
.verdict.warnings { background: #fff4d6; }
.verdict.not-ready { background: #fbe0e0; }
.fail, .error { font-weight: bold; }
.signatures { margin-top: 14pt; page-break-inside: avoid; }
.signatures td { border: none; padding: 14pt 8pt 0 0; vertical-align: bottom; }
.signatures td.role { width: 30%; }
.line { border-bottom: 0.5pt solid #000; height: 12pt; }
.caption { font-size: 7pt; color: #333; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; overflow-wrap: anywhere; }
pre.checkpoint, .public-key, .fingerprint { font-family: "DejaVu Sans Mono", monospace; }
pre.checkpoint, .public-key { font-size: 7pt; margin: 2pt 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.fingerprint { font-size: 9pt; white-space: nowrap; }
)";

void write_header(std::ostream& out, const ProtocolContext& context,
                  std::span<const StationRun> stations) {
    const auto row = [&out](const std::string& label, const std::string& value) {
        out << "<tr><td>" << escape_markup(label) << "</td><td>" << escape_markup(value)
            << "</td></tr>\n";
    };
    out << "<table class=\"header\">\n";
    if (context.site != nullptr) {
        const Site& site = *context.site;
        row(_("Exam point"),
            _f("PPE {} ({}), region {}", site.ppe_code, site.name, site.region_code));
    }
    const RunInfo& first = stations.front().info;
    if (first.exam) {
        std::string exam = *first.exam;
        if (context.site != nullptr) {
            if (const Exam* found = context.site->find_exam(*first.exam)) {
                exam += " — " + found->subject;
            }
        }
        if (first.exam_start) {
            exam += ", " + (first.zone ? first.zone->format_for_display(*first.exam_start)
                                       : format_utc(*first.exam_start));
        }
        row(_("Exam"), exam);
    } else {
        row(_("Exam"), _("none given and none today"));
    }
    if (stations.size() == 1) {
        row(_("Station"), first.station);
        row(_("Checked at"),
            when(first) +
                (time_before_start(first).empty() ? "" : " (" + time_before_start(first) + ")"));
    } else {
        row(_("Stations"), std::to_string(stations.size()));
    }
    out << "</table>\n";
}

// The whole signed checkpoint, the key and its fingerprint, each on lines of its own, so that
// the commission can copy them from the page (or its PDF) and check the journal later.
void write_journal(std::ostream& out, const ProtocolContext& context) {
    out << "<h2>" << escape_markup(_("Access journal")) << "</h2>\n<p>";
    if (!context.journal) {
        out << escape_markup(context.journal_problem.empty() ? _("No journal state.")
                                                             : context.journal_problem)
            << "</p>\n";
        return;
    }
    const JournalState& journal = *context.journal;
    const std::string entries =
        fmt::format(fmt::runtime(_n("{} entry", "{} entries", journal.entries)), journal.entries);
    out << escape_markup(_f("Latest signed checkpoint: {}, signed {}.", entries,
                            context.site != nullptr
                                ? context.site->timezone.format_for_display(journal.signed_at)
                                : format_utc(journal.signed_at)))
        << "<br><span class=\"caption\">"
        << escape_markup(_("Copy the checkpoint into a file, from its first line to its signature "
                           "line, to check the journal against this paper later: exam-journal "
                           "verify --checkpoint FILE --public-key KEY"))
        << "</span></p>\n<pre class=\"checkpoint\">" << escape_markup(journal.note) << "</pre>\n";
    out << "<p class=\"caption\">"
        << escape_markup(_("The exam point's public key (KEY), and its fingerprint to compare "
                           "aloud with the one 'exam-journal init' printed:"))
        << "</p>\n<div class=\"public-key\">" << escape_markup(journal.public_key) << "</div>\n<p>"
        << escape_markup(_("fingerprint")) << " <span class=\"fingerprint\">"
        << escape_markup(journal.fingerprint) << "</span></p>\n";
}

void write_signatures(std::ostream& out) {
    out << "<table class=\"signatures\">";
    for (const std::string role :
         {_("Technical specialist"), _("Member of the state examination commission")}) {
        out << "<tr><td class=\"role\">" << escape_markup(role) << "</td>";
        for (const std::string caption : {_("name"), _("signature"), _("date and time")}) {
            out << "<td><div class=\"line\"></div><span class=\"caption\">"
                << escape_markup(caption) << "</span></td>";
        }
        out << "</tr>";
    }
    out << "</table>\n";
}

void write_check_rows(std::ostream& out, const StationRun& station, bool with_station,
                      bool problems_only) {
    int number = 0;
    for (const CheckResult& result : station.results) {
        if (problems_only && !is_problem(result.status)) {
            continue;
        }
        ++number;
        const std::string status{to_string(result.status)};
        out << "<tr>";
        if (with_station) {
            out << "<td>" << escape_markup(station.info.station) << "</td>";
        } else {
            out << "<td>" << number << "</td>";
        }
        out << "<td>" << escape_markup(result.title)
            << (result.title != result.id
                    ? "<br><span class=\"caption\">" + escape_markup(result.id) + "</span>"
                    : "")
            << "</td><td class=\"" << status << "\">" << escape_markup(outcome_text(result.status))
            << "</td><td>" << escape_markup(format_observed(result.observed))
            << "</td><td class=\"message\">" << escape_markup(result.message);
        if (!result.hint.empty() &&
            (result.status == CheckStatus::fail || result.status == CheckStatus::error)) {
            out << "<br><i>" << escape_markup(_f("To do: {}", result.hint)) << "</i>";
        }
        out << "</td></tr>\n";
    }
}

void write_checks_table_head(std::ostream& out, bool with_station) {
    out << "<table><tr><th>" << escape_markup(with_station ? _("Station") : "#") << "</th><th>"
        << escape_markup(_("Check")) << "</th><th>" << escape_markup(_("Outcome")) << "</th><th>"
        << escape_markup(_("Observed")) << "</th><th>" << escape_markup(_("Found"))
        << "</th></tr>\n";
}

}  // namespace

std::optional<JournalState> read_journal_state(const Site& site, std::string& problem) {
    std::error_code missing;
    if (!std::filesystem::exists(site.paths.journal, missing)) {
        problem = _f("No access journal at {} yet (exam-journal init creates it).",
                     site.paths.journal.string());
        return std::nullopt;
    }
    try {
        Journal journal = Journal::open_read_only(site.paths.journal);
        const auto latest = journal.latest_checkpoint();
        if (!latest) {
            problem = _("The access journal has no signed checkpoint yet.");
            return std::nullopt;
        }
        const std::optional<VerifierKey> key = journal.stored_public_key();
        return JournalState{.origin = latest->checkpoint.origin,
                            .entries = latest->checkpoint.tree_size,
                            .root_hash = base64_encode(latest->checkpoint.root_hash),
                            .signed_at = latest->signed_at,
                            .note = latest->note,
                            .public_key = key ? key->to_text() : "",
                            .fingerprint = key ? key->fingerprint() : ""};
    } catch (const Error& e) {
        problem = _f("The access journal could not be read: {}", e.what());
        return std::nullopt;
    }
}

void write_protocol_html(std::ostream& out, const ProtocolContext& context,
                         std::span<const StationRun> stations) {
    if (stations.empty()) {
        throw InternalError("a protocol needs at least one station");
    }
    const bool summary = stations.size() > 1;
    const std::string title =
        summary ? _("Readiness protocol of the exam point") : _("Readiness protocol of a station");
    out << "<!DOCTYPE html>\n<html lang=\"" << escape_markup(language_tag())
        << "\"><head><meta charset=\"utf-8\"><title>" << escape_markup(title) << "</title>\n<style>"
        << k_style << "</style></head><body>\n<h1>" << escape_markup(title) << "</h1>\n";
    write_header(out, context, stations);
    const ExitCode overall = summary_exit_code(stations);
    out << "<div class=\"verdict " << verdict_class(overall) << "\">"
        << escape_markup(verdict(overall));
    std::vector<CheckResult> all;
    for (const StationRun& station : stations) {
        all.insert(all.end(), station.results.begin(), station.results.end());
    }
    out << " <span class=\"caption\">" << escape_markup(run_summary(all)) << "</span></div>\n";

    if (summary) {
        out << "<h2>" << escape_markup(_("Stations")) << "</h2>\n<table><tr><th>"
            << escape_markup(_("Station")) << "</th><th>" << escape_markup(_("Checked at"))
            << "</th><th>" << escape_markup(_("Verdict")) << "</th><th>"
            << escape_markup(_("Checks")) << "</th></tr>\n";
        for (const StationRun& station : stations) {
            const ExitCode code = run_exit_code(station.results);
            out << "<tr><td>" << escape_markup(station.info.station) << "</td><td>"
                << escape_markup(when(station.info)) << "</td><td class=\"" << verdict_class(code)
                << "\">" << escape_markup(verdict(code)) << "</td><td>"
                << escape_markup(run_summary(station.results)) << "</td></tr>\n";
        }
        out << "</table>\n<h2>" << escape_markup(_("Problems found")) << "</h2>\n";
        write_checks_table_head(out, true);
        for (const StationRun& station : stations) {
            write_check_rows(out, station, true, true);
        }
        out << "</table>\n";
    } else {
        out << "<h2>" << escape_markup(_("Checks")) << "</h2>\n";
        write_checks_table_head(out, false);
        write_check_rows(out, stations.front(), false, false);
        out << "</table>\n";
    }
    // Waivers are listed again on their own: the commission signs for them explicitly.
    bool any_waived = false;
    for (const StationRun& station : stations) {
        for (const CheckResult& result : station.results) {
            if (result.status != CheckStatus::waived) {
                continue;
            }
            if (!any_waived) {
                out << "<h2>" << escape_markup(_("Waivers")) << "</h2>\n<ul>\n";
                any_waived = true;
            }
            out << "<li>" << escape_markup(summary ? station.info.station + ": " : "")
                << escape_markup(result.id) << " — " << escape_markup(result.message) << "</li>\n";
        }
    }
    if (any_waived) {
        out << "</ul>\n";
    }
    write_journal(out, context);
    write_signatures(out);
    out << "</body></html>\n";
}

ExitCode summary_exit_code(std::span<const StationRun> stations) {
    std::vector<CheckResult> all;
    for (const StationRun& station : stations) {
        all.insert(all.end(), station.results.begin(), station.results.end());
    }
    return run_exit_code(all);
}

namespace {
template <typename Bad>
StationRun station_from_report(const Json& report, const Bad& bad);
}  // namespace

StationRun read_run_report(const std::filesystem::path& file) {
    const auto bad = [&file](const std::string& what) {
        return InputError(
            _f("{}: not a pre-check JSON report ({}); make one with exam-precheck "
               "run --report json:FILE",
               file.string(), what));
    };
    const Json report = Json::parse(read_text_file(file, _("the report")), nullptr, false);
    if (!report.is_object()) {
        throw bad(_("it is not JSON"));
    }
    try {
        return station_from_report(report, bad);
    } catch (const Json::exception& e) {
        throw bad(_f("a field has the wrong type: {}", e.what()));
    }
}

namespace {

template <typename Bad>
StationRun station_from_report(const Json& report, const Bad& bad) {
    if (report.value("version", 0) != 1) {
        throw bad(_("expected \"version\": 1"));
    }
    StationRun station;
    const auto time = report.contains("time") && report["time"].is_string()
                          ? parse_utc(report["time"].get<std::string>())
                          : std::nullopt;
    if (!time) {
        throw bad(_("\"time\" is missing or not a UTC time"));
    }
    station.info.time = *time;
    if (!report.contains("station") || !report["station"].is_string() ||
        !report.contains("checks") || !report["checks"].is_array()) {
        throw bad(_("\"station\" and \"checks\" are required"));
    }
    station.info.station = report["station"];
    if (report.contains("exam") && report["exam"].is_string()) {
        station.info.exam = report["exam"].get<std::string>();
    }
    if (report.contains("seconds_before_start") &&
        report["seconds_before_start"].is_number_integer() &&
        std::abs(report["seconds_before_start"].get<std::int64_t>()) < 400LL * 24 * 3600) {
        station.info.exam_start =
            *time + std::chrono::seconds{report["seconds_before_start"].get<std::int64_t>()};
    }
    for (const Json& check : report["checks"]) {
        if (!check.is_object() || !check.contains("id") || !check["id"].is_string()) {
            throw bad(_("every check needs an \"id\""));
        }
        CheckResult result;
        result.id = check["id"];
        result.title = check.value("title", result.id);
        const auto status = check_status_from_string(check.value("status", ""));
        if (!status) {
            throw bad(_f("check \"{}\" has no known \"status\"", result.id));
        }
        result.status = *status;
        result.severity = check.value("severity", "critical") == "warning" ? Severity::warning
                                                                           : Severity::critical;
        result.observed = observed_json::from_json(check.value("observed", Json{}));
        result.expected = check.value("expected", "");
        result.message = check.value("message", "");
        result.hint = check.value("hint", "");
        result.duration = std::chrono::milliseconds{check.value("duration_ms", std::int64_t{0})};
        result.attempts = check.value("attempts", 1);
        station.results.push_back(std::move(result));
    }
    if (station.results.empty()) {
        throw bad(_("it has no checks"));
    }
    return station;
}

}  // namespace

void write_summary_text(std::ostream& out, std::span<const StationRun> stations,
                        const Palette& palette) {
    const ExitCode overall = summary_exit_code(stations);
    out << palette.paint(_f("Exam point: {}", verdict(overall)), Color::bold) << "\n\n";
    Table table({{_("STATION")},
                 {_("CHECKED AT")},
                 {_("VERDICT")},
                 {_("PASS"), Align::right},
                 {_("WARN"), Align::right},
                 {_("FAIL"), Align::right},
                 {_("NOT CHECKED"), Align::right},
                 {_("WAIVED"), Align::right}});
    for (const StationRun& station : stations) {
        const Counts counts = count(station.results);
        const ExitCode code = run_exit_code(station.results);
        table.add_row({for_terminal(station.info.station),
                       when(station.info),
                       {verdict(code), code == ExitCode::ok         ? Color::green
                                       : code == ExitCode::warnings ? Color::yellow
                                                                    : Color::red},
                       std::to_string(counts[CheckStatus::pass]),
                       std::to_string(counts[CheckStatus::warn]),
                       std::to_string(counts[CheckStatus::fail]),
                       std::to_string(counts[CheckStatus::error]),
                       std::to_string(counts[CheckStatus::waived])});
    }
    table.render(out, palette);
    bool first = true;
    for (const StationRun& station : stations) {
        for (const CheckResult& result : station.results) {
            if (!is_problem(result.status)) {
                continue;
            }
            if (first) {
                out << '\n' << palette.paint(_("Problems:"), Color::bold) << '\n';
                first = false;
            }
            // The stations' reports are files from outside: shown through the one sanitiser.
            out << fmt::format("  {} {} {}: {}\n", for_terminal(station.info.station),
                               status_for_people(result.status), for_terminal(result.id),
                               for_terminal(result.message));
        }
    }
}

void write_summary_json(std::ostream& out, std::span<const StationRun> stations) {
    Json rows = Json::array();
    Json problems = Json::array();
    for (const StationRun& station : stations) {
        const Counts counts = count(station.results);
        Json by_status = Json::object();
        for (const CheckStatus status :
             {CheckStatus::pass, CheckStatus::warn, CheckStatus::fail, CheckStatus::error,
              CheckStatus::skip, CheckStatus::waived}) {
            by_status[std::string{to_string(status)}] = counts[status];
        }
        rows.push_back({{"station", station.info.station},
                        {"time", format_utc(station.info.time)},
                        {"exam", station.info.exam ? Json(*station.info.exam) : Json(nullptr)},
                        {"exit_code", static_cast<int>(run_exit_code(station.results))},
                        {"counts", by_status}});
        for (const CheckResult& result : station.results) {
            if (is_problem(result.status)) {
                problems.push_back({{"station", station.info.station},
                                    {"id", result.id},
                                    {"title", result.title},
                                    {"status", to_string(result.status)},
                                    {"observed", observed_json::to_json<Json>(result.observed)},
                                    {"expected", result.expected},
                                    {"message", result.message}});
            }
        }
    }
    write_json(out, Json{{"version", 1},
                         {"exit_code", static_cast<int>(summary_exit_code(stations))},
                         {"stations", rows},
                         {"problems", problems}});
}

}  // namespace exam
