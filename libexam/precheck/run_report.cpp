#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <exam/precheck/run_report.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/json.hpp>
#include <exam/util/table.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

std::string observed_text(const Observed& observed) {
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
                return (whole ? fmt::format("{}", static_cast<long long>(value)) : fmt::format("{:.1f}", value)) +
                       (observed.unit.empty() ? "" : " " + observed.unit);
            } else if constexpr (std::is_same_v<T, bool>) {
                return value ? "true" : "false";
            } else {
                return value + (observed.unit.empty() ? "" : " " + observed.unit);
            }
        },
        observed.value);
}

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

std::string before_start(const RunInfo& info) {
    if (!info.exam_start) {
        return {};
    }
    const auto span = std::chrono::floor<std::chrono::minutes>(*info.exam_start - info.time);
    return span.count() >= 0 ? _f("{} before the start",
                                  format_duration(std::chrono::duration_cast<Milliseconds>(span)))
                             : _f("{} after the start",
                                  format_duration(std::chrono::duration_cast<Milliseconds>(-span)));
}

}  // namespace

void write_run_text(std::ostream& out, const RunInfo& info, std::span<const CheckResult> results,
                    const Palette& palette) {
    const std::string when =
        info.zone ? info.zone->format_for_display(info.time) : format_utc(info.time);
    out << palette.paint(_f("Pre-check of {} at {}", info.station, when), Color::bold);
    if (info.exam) {
        out << _f(", exam {}", *info.exam);
        if (const std::string relative = before_start(info); !relative.empty()) {
            out << " (" << relative << ")";
        }
    }
    out << "\n\n";
    Table table(
        {{_("STATUS")}, {_("CHECK")}, {_("OBSERVED")}, {_("TOOK"), Align::right}, {_("MESSAGE")}});
    std::map<CheckStatus, int> counts;
    for (const CheckResult& result : results) {
        ++counts[result.status];
        table.add_row({{std::string{to_string(result.status)}, status_color(result.status)},
                       result.id,
                       observed_text(result.observed),
                       fmt::format("{}ms", result.duration.count()),
                       result.message});
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
        out << palette.paint(
                   fmt::format("{} {}: {}", to_string(result.status), result.id, result.title),
                   status_color(result.status))
            << '\n';
        if (!result.expected.empty()) {
            out << "  " << _f("expected: {}", result.expected) << '\n';
        }
        out << "  " << _f("found:    {}", result.message) << '\n';
        if (!result.hint.empty()) {
            out << "  " << _f("to do:    {}", result.hint) << '\n';
        }
    }
    out << '\n'
        << _f("{} checks: {} pass, {} warn, {} fail, {} could not be checked, {} skipped, {} "
              "waived",
              results.size(), counts[CheckStatus::pass], counts[CheckStatus::warn],
              counts[CheckStatus::fail], counts[CheckStatus::error], counts[CheckStatus::skip],
              counts[CheckStatus::waived])
        << '\n';
}

void write_run_json(std::ostream& out, const RunInfo& info, std::span<const CheckResult> results) {
    Json checks = Json::array();
    for (const CheckResult& result : results) {
        Json observed = nullptr;
        if (!result.observed.empty()) {
            observed = Json::object();
            std::visit(
                [&observed](const auto& value) {
                    using T = std::decay_t<decltype(value)>;
                    if constexpr (!std::is_same_v<T, std::monostate>) {
                        observed["value"] = value;
                    }
                },
                result.observed.value);
            observed["unit"] = result.observed.unit;
        }
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
    report["checks"] = std::move(checks);
    write_json(out, report);
}

}  // namespace exam
