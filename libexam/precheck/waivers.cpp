#include <exam/precheck/waivers.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "core/toml_reader.hpp"

namespace exam {
namespace {

// A waiver applies to a check as it runs (apply_waivers compares ids exactly), so it must name
// one: a camera check runs once per camera, as "CHECK:CAMERA".
void check_waived_id(toml_reader::Table& table, const std::string& id,
                     std::span<const CheckSpec> checks) {
    std::vector<std::string_view> ids;
    std::vector<std::string_view> per_camera;
    for (const CheckSpec& check : checks) {
        if (check.id == id) {
            return;
        }
        ids.push_back(check.id);
        if (check.id.starts_with(id + ":")) {
            per_camera.push_back(check.id);
        }
    }
    if (!per_camera.empty()) {
        table.fail_at_key("id", _f("check \"{}\" runs once per camera, and a waiver names one "
                                   "of them, such as \"{}\"; write one [[waiver]] per camera "
                                   "that is waived",
                                   id, per_camera.front()));
    }
    table.fail_at_key("id", _f("the suite has no check \"{}\", so this waiver would waive "
                               "nothing{}",
                               id, did_you_mean(id, ids, _("its checks are"))));
}

}  // namespace

std::vector<Waiver> parse_waivers(std::string_view text, const std::filesystem::path& file,
                                  const TimeZone& zone, std::span<const CheckSpec> checks) {
    const toml::table document = toml_reader::parse(text, file);
    toml_reader::Table root{document, _("the waivers file"), file};
    std::vector<Waiver> waivers;
    for (toml_reader::Table& table : root.tables("waiver")) {
        Waiver waiver;
        waiver.check_id = table.required_string("id");
        check_waived_id(table, waiver.check_id, checks);
        waiver.justification = table.required_string("justification");
        waiver.approved_by = table.required_string("approved_by");
        // The approval is what the protocol's signatories rely on: a person's name or title,
        // readable as it is printed.
        if (trim_spaces(waiver.approved_by).empty()) {
            table.fail_at_key("approved_by",
                              _("\"approved_by\" is empty: write who approved the waiver (a name "
                                "or a title such as \"Head of the exam point\")"));
        }
        if (has_unprintable_characters(waiver.approved_by)) {
            table.fail_at_key("approved_by",
                              _f("\"approved_by\" has control characters, line breaks or "
                                 "direction overrides: \"{}\"; write the approver's name or "
                                 "title as plain text",
                                 for_terminal(waiver.approved_by)));
        }
        const std::string expires = table.required_string("expires");
        if (const auto day = parse_date(expires)) {
            const auto end_of_day = std::chrono::local_days{*day} + std::chrono::days{1};
            const auto instant = zone.from_local(LocalTime{end_of_day});
            waiver.expires =
                instant.value_or(TimePoint{std::chrono::sys_days{*day} + std::chrono::days{1}});
        } else {
            try {
                waiver.expires = parse_command_line_time(expires, zone, now());
            } catch (const InputError&) {
                table.fail_at_key("expires",
                                  _f("\"expires\" must be a date (\"2026-06-02\") or a time "
                                     "(\"2026-06-02T18:00:00+03:00\"); found \"{}\"",
                                     expires));
            }
        }
        table.finish();
        waivers.push_back(std::move(waiver));
    }
    root.finish();
    return waivers;
}

std::vector<Waiver> load_waivers(const std::filesystem::path& file, const TimeZone& zone,
                                 std::span<const CheckSpec> checks) {
    return parse_waivers(read_text_file(file, _("the waivers file"), FileRole::configuration), file,
                         zone, checks);
}

void apply_waivers(std::span<CheckResult> results, std::span<const Waiver> waivers, TimePoint now,
                   const TimeZone& zone) {
    for (CheckResult& result : results) {
        if (result.status != CheckStatus::fail && result.status != CheckStatus::warn) {
            continue;
        }
        for (const Waiver& waiver : waivers) {
            if (waiver.check_id != result.id) {
                continue;
            }
            if (now < waiver.expires) {
                result.status = CheckStatus::waived;
                result.message += _f(" (waived until {}, approved by {}: {})",
                                     zone.format_for_display(waiver.expires), waiver.approved_by,
                                     waiver.justification);
                break;
            }
            result.message += _f(" (a waiver approved by {} expired at {} and no longer applies)",
                                 waiver.approved_by, zone.format_for_display(waiver.expires));
        }
    }
}

}  // namespace exam
