#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <exam/precheck/run_report.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/json.hpp>
#include <exam/util/table.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "precheck/observed_json.hpp"

namespace exam {

namespace {

// The units our probes give, for a person in their language; a script's own unit as it is.
// (Files and reports keep the English unit: observed_json.hpp.)
std::string unit_for_people(const std::string& unit) {
    if (unit == "exit code") {
        // TRANSLATORS: the unit of a command's observed value: "0 exit code".
        return _("exit code");
    }
    if (unit == "ms") {
        return _("ms");
    }
    if (unit == "processes") {
        return _("processes");
    }
    if (unit == "frames") {
        return _("frames");
    }
    if (unit == "minutes before the start") {
        return _("minutes before the start");
    }
    if (unit == "HTTP status") {
        return _("HTTP status");
    }
    return unit;
}

}  // namespace

std::string format_observed(const Observed& observed) {
    return std::visit(
        [&observed](const auto& value) -> std::string {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return "";
            } else if constexpr (std::is_same_v<T, double>) {
                if (observed.unit == "bytes" && value >= 0) {
                    return format_byte_size(static_cast<std::uint64_t>(value));
                }
                const bool whole = value == static_cast<double>(static_cast<long long>(value));
                return (whole ? fmt::format("{}", static_cast<long long>(value))
                              : with_decimal_mark(fmt::format("{:.1f}", value))) +
                       (observed.unit.empty() ? "" : " " + unit_for_people(observed.unit));
            } else if constexpr (std::is_same_v<T, bool>) {
                return value ? "true" : "false";
            } else {
                return value + (observed.unit.empty() ? "" : " " + observed.unit);
            }
        },
        observed.value);
}

namespace {

Color status_color(CheckStatus status) {
    switch (status) {
        case CheckStatus::pass: return Color::green;
        case CheckStatus::warn: return Color::yellow;
        case CheckStatus::fail: return Color::red;
        case CheckStatus::error: return Color::red;
        case CheckStatus::skip: return Color::dim;
        case CheckStatus::waived: return Color::blue;
    }
    return Color::none;
}

}  // namespace

std::string time_before_start(const RunInfo& info) {
    if (!info.exam_start) {
        return {};
    }
    const auto span = std::chrono::floor<std::chrono::minutes>(*info.exam_start - info.time);
    return span.count() >= 0 ? _f("{} before the start",
                                  format_span(std::chrono::duration_cast<Milliseconds>(span)))
                             : _f("{} after the start",
                                  format_span(std::chrono::duration_cast<Milliseconds>(-span)));
}

void write_run_text(std::ostream& out, const RunInfo& info, std::span<const CheckResult> results,
                    const Palette& palette) {
    const std::string when =
        info.zone ? info.zone->format_for_display(info.time) : format_utc(info.time);
    out << palette.paint(_f("Pre-check of {} at {}", info.station, when), Color::bold);
    if (info.exam) {
        out << _f(", exam {}", *info.exam);
        if (const std::string relative = time_before_start(info); !relative.empty()) {
            out << " (" << relative << ")";
        }
    }
    out << "\n\n";
    Table table(
        {{_("STATUS")}, {_("CHECK")}, {_("OBSERVED")}, {_("TOOK"), Align::right}, {_("MESSAGE")}});
    std::map<CheckStatus, int> counts;
    for (const CheckResult& result : results) {
        ++counts[result.status];
        // Ids, titles and what checks found come from outside (suites, scripts, devices):
        // everything printed here goes through the one sanitiser.
        table.add_row({{status_for_people(result.status), status_color(result.status)},
                       for_terminal(result.id),
                       for_terminal(format_observed(result.observed)),
                       _f("{}ms", result.duration.count()),
                       for_terminal(result.message)});
    }
    table.render(out, palette);
    bool first = true;
    for (const CheckResult& result : results) {
        if (result.status != CheckStatus::fail && result.status != CheckStatus::error &&
            result.status != CheckStatus::warn) {
            continue;
        }
        if (first) {
            out << '\n';
            first = false;
        }
        out << palette.paint(fmt::format("{} {}: {}", status_for_people(result.status),
                                         for_terminal(result.id), for_terminal(result.title)),
                             status_color(result.status))
            << '\n';
        if (!result.expected.empty()) {
            out << "  " << _f("expected: {}", for_terminal(result.expected)) << '\n';
        }
        out << "  " << _f("found:    {}", for_terminal(result.message)) << '\n';
        if (!result.hint.empty()) {
            out << "  " << _f("to do:    {}", for_terminal(result.hint)) << '\n';
        }
    }
    out << '\n' << run_summary(results) << '\n';
    if (info.journalled == RunJournalled::no) {
        out << palette.paint(_f("NOT JOURNALLED: this run is not in the access journal: {}",
                                info.journal_problem),
                             Color::red)
            << '\n';
    }
}

namespace {

struct StatusCounts {
    std::size_t checks = 0;
    std::map<CheckStatus, int> of;
};

StatusCounts count_statuses(std::span<const CheckResult> results) {
    StatusCounts counts{results.size(), {}};
    for (const CheckResult& result : results) {
        ++counts.of[result.status];
    }
    return counts;
}

}  // namespace

std::string run_summary(std::span<const CheckResult> results) {
    StatusCounts counts = count_statuses(results);
    return _f(
        "{} checks: {} pass, {} warn, {} fail, {} could not be checked, {} skipped, {} waived",
        counts.checks, counts.of[CheckStatus::pass], counts.of[CheckStatus::warn],
        counts.of[CheckStatus::fail], counts.of[CheckStatus::error], counts.of[CheckStatus::skip],
        counts.of[CheckStatus::waived]);
}

std::string run_journal_note(const RunInfo& info, std::span<const CheckResult> results) {
    StatusCounts counts = count_statuses(results);
    return fmt::format(
        "pre-check of {}: {} checks: {} pass, {} warn, {} fail, {} could not be checked, "
        "{} skipped, {} waived; exit code {}",
        info.station, counts.checks, counts.of[CheckStatus::pass], counts.of[CheckStatus::warn],
        counts.of[CheckStatus::fail], counts.of[CheckStatus::error], counts.of[CheckStatus::skip],
        counts.of[CheckStatus::waived], static_cast<int>(run_exit_code(results)));
}

void write_suite_text(std::ostream& out, const Suite& suite, const Palette& palette) {
    out << palette.paint(_f("{}: {} checks", suite.file.string(), suite.checks.size()), Color::bold)
        << "\n\n";
    Table table({{_("CHECK")},
                 {_("TYPE")},
                 {_("SEVERITY")},
                 {_("TIMEOUT"), Align::right},
                 {_("TAGS")},
                 {_("TITLE")}});
    for (const CheckSpec& check : suite.checks) {
        std::string tags;
        for (const std::string& tag : check.tags) {
            tags += tags.empty() ? "" : ",";
            tags += tag;
        }
        table.add_row({for_terminal(check.id), check.type, std::string{to_string(check.severity)},
                       format_duration(check.timeout.value_or(suite.default_timeout)),
                       for_terminal(tags), for_terminal(check.title)});
    }
    table.render(out, palette);
}

void write_run_json(std::ostream& out, const RunInfo& info, std::span<const CheckResult> results) {
    Json checks = Json::array();
    for (const CheckResult& result : results) {
        const Json observed = observed_json::to_json<Json>(result.observed);
        checks.push_back({{"id", result.id},
                          {"title", result.title},
                          {"status", to_string(result.status)},
                          {"severity", to_string(result.severity)},
                          {"observed", observed},
                          {"expected", result.expected},
                          {"message", result.message},
                          {"hint", result.hint},
                          {"duration_ms", result.duration.count()},
                          {"attempts", result.attempts}});
    }
    Json report{{"version", 1}, {"time", format_utc(info.time)}, {"station", info.station}};
    report["exam"] = info.exam ? Json(*info.exam) : Json(nullptr);
    report["seconds_before_start"] =
        info.exam_start
            ? Json(std::chrono::duration_cast<std::chrono::seconds>(*info.exam_start - info.time)
                       .count())
            : Json(nullptr);
    report["exit_code"] = static_cast<int>(run_exit_code(results));
    report["journalled"] = info.journalled == RunJournalled::yes;
    report["journal_problem"] =
        info.journalled == RunJournalled::no ? Json(info.journal_problem) : Json(nullptr);
    report["checks"] = std::move(checks);
    write_json(out, report);
}

namespace {

// Label values escape backslash, double quote and newline.
std::string label_escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

}  // namespace

void write_run_junit(std::ostream& out, const RunInfo& info, std::span<const CheckResult> results) {
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    double seconds = 0;
    for (const CheckResult& result : results) {
        failures += result.status == CheckStatus::fail ? 1 : 0;
        errors += result.status == CheckStatus::error ? 1 : 0;
        skipped +=
            result.status == CheckStatus::skip || result.status == CheckStatus::waived ? 1 : 0;
        seconds += static_cast<double>(result.duration.count()) / 1000.0;
    }
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << fmt::format(
        "<testsuites name=\"exam-precheck\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
        "skipped=\"{}\" "
        "time=\"{:.3f}\">\n",
        results.size(), failures, errors, skipped, seconds);
    out << fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
        "timestamp=\"{}\" time=\"{:.3f}\">\n",
        escape_markup(info.station), results.size(), failures, errors, skipped,
        format_utc(info.time), seconds);
    for (const CheckResult& result : results) {
        out << fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\">",
                           escape_markup(info.station), escape_markup(result.id),
                           static_cast<double>(result.duration.count()) / 1000.0);
        const std::string details =
            escape_markup(fmt::format("{}\nexpected: {}\nfound: {}\nhint: {}", result.title,
                                      result.expected, result.message, result.hint));
        switch (result.status) {
            case CheckStatus::fail:
                out << "<failure message=\"" << escape_markup(one_line(result.message)) << "\">"
                    << details << "</failure>";
                break;
            case CheckStatus::error:
                out << "<error message=\"" << escape_markup(one_line(result.message)) << "\">"
                    << details << "</error>";
                break;
            case CheckStatus::skip:
            case CheckStatus::waived:
                out << "<skipped message=\""
                    << escape_markup(
                           one_line(std::string{to_string(result.status)} + ": " + result.message))
                    << "\"/>";
                break;
            case CheckStatus::warn:
                out << "<system-out>" << escape_markup("warn: " + result.message)
                    << "</system-out>";
                break;
            case CheckStatus::pass: break;
        }
        out << "</testcase>\n";
    }
    out << "  </testsuite>\n</testsuites>\n";
}

void write_run_tap(std::ostream& out, const RunInfo& info, std::span<const CheckResult> results) {
    out << "TAP version 13\n1.." << results.size() << '\n';
    out << "# exam-precheck on " << one_line(info.station) << " at " << format_utc(info.time)
        << '\n';
    std::size_t number = 0;
    for (const CheckResult& result : results) {
        ++number;
        const bool ok = result.status == CheckStatus::pass || result.status == CheckStatus::warn ||
                        result.status == CheckStatus::skip || result.status == CheckStatus::waived;
        out << (ok ? "ok " : "not ok ") << number << " - " << one_line(result.id);
        if (result.status == CheckStatus::skip || result.status == CheckStatus::waived) {
            out << " # SKIP " << to_string(result.status) << ": " << one_line(result.message);
        } else if (result.status == CheckStatus::warn) {
            out << " # TODO warn: " << one_line(result.message);
        }
        out << '\n';
        if (!ok) {
            out << "  ---\n"
                << "  status: " << to_string(result.status) << '\n'
                << "  message: " << Json(result.message).dump() << '\n'
                << "  expected: " << Json(result.expected).dump() << '\n'
                << "  hint: " << Json(result.hint).dump() << '\n'
                << "  ...\n";
        }
    }
}

void write_run_prometheus(std::ostream& out, const RunInfo& info,
                          std::span<const CheckResult> results) {
    const std::string station = label_escape(info.station);
    out << "# HELP examkit_precheck_status Outcome of a readiness check: 1 for the status it has, "
           "0 for the others.\n"
        << "# TYPE examkit_precheck_status gauge\n";
    for (const CheckResult& result : results) {
        for (const CheckStatus status :
             {CheckStatus::pass, CheckStatus::warn, CheckStatus::fail, CheckStatus::error,
              CheckStatus::skip, CheckStatus::waived}) {
            out << fmt::format(
                "examkit_precheck_status{{station=\"{}\",check=\"{}\",severity=\"{}\",status=\"{}"
                "\"}} {}\n",
                station, label_escape(result.id), to_string(result.severity), to_string(status),
                result.status == status ? 1 : 0);
        }
    }
    out << "# HELP examkit_precheck_observed The value a readiness check observed, in the unit of "
           "its label.\n"
        << "# TYPE examkit_precheck_observed gauge\n";
    for (const CheckResult& result : results) {
        if (const auto* number = std::get_if<double>(&result.observed.value)) {
            out << fmt::format(
                "examkit_precheck_observed{{station=\"{}\",check=\"{}\",unit=\"{}\"}} {}\n",
                station, label_escape(result.id), label_escape(result.observed.unit), *number);
        }
    }
    out << "# HELP examkit_precheck_duration_seconds How long a readiness check took.\n"
        << "# TYPE examkit_precheck_duration_seconds gauge\n";
    for (const CheckResult& result : results) {
        out << fmt::format(
            "examkit_precheck_duration_seconds{{station=\"{}\",check=\"{}\"}} {:.3f}\n", station,
            label_escape(result.id), static_cast<double>(result.duration.count()) / 1000.0);
    }
    out << "# HELP examkit_precheck_last_run_timestamp_seconds When the readiness checks last "
           "ran.\n"
        << "# TYPE examkit_precheck_last_run_timestamp_seconds gauge\n"
        << fmt::format(
               "examkit_precheck_last_run_timestamp_seconds{{station=\"{}\"}} {}\n", station,
               std::chrono::duration_cast<std::chrono::seconds>(info.time.time_since_epoch())
                   .count());
}

}  // namespace exam
