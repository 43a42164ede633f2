#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include <exam/precheck/script_report.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "precheck/observed_json.hpp"

namespace exam {
namespace {

using nlohmann::json;

constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";
constexpr std::array k_script_statuses{CheckStatus::pass, CheckStatus::warn, CheckStatus::fail,
                                       CheckStatus::error, CheckStatus::skip};
// Enough of a line to recognise it in a message; a script may print megabytes on one line.
constexpr std::size_t k_shown_characters = 200;

// The last line that is not blank, without the whitespace and byte order marks around it.
std::string_view last_line(std::string_view output) {
    output = trim_spaces(output);
    if (const auto newline = output.rfind('\n'); newline != std::string_view::npos) {
        output.remove_prefix(newline + 1);
    }
    while (true) {
        output = trim_spaces(output);
        if (!output.starts_with(k_byte_order_mark)) {
            return output;
        }
        output.remove_prefix(k_byte_order_mark.size());
    }
}

std::string shown(std::string_view line) {
    if (line.size() <= k_shown_characters) {
        return for_terminal(line);
    }
    std::size_t cut = k_shown_characters;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
        --cut;  // not inside a UTF-8 character
    }
    return for_terminal(line.substr(0, cut)) + "…";
}

std::string allowed_statuses() {
    std::string names;
    for (std::size_t i = 0; i < k_script_statuses.size(); ++i) {
        names += i == 0 ? "" : i + 1 == k_script_statuses.size() ? _(" or ") : ", ";
        names += to_string(k_script_statuses[i]);
    }
    return names;
}

CheckResult could_not_check(std::string message) {
    CheckResult result;
    result.status = CheckStatus::error;
    result.message = std::move(message);
    return result;
}

std::string text_field(const json& report, const char* key) {
    const auto it = report.find(key);
    return it != report.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

std::optional<CheckResult> read_script_report(std::string_view standard_output) {
    const std::string_view line = last_line(standard_output);
    if (!line.starts_with('{')) {
        return std::nullopt;
    }
    // Strict: one object and nothing after it. A damaged report must not fall back to the
    // exit code, which would let a failing script pass.
    const json report = json::parse(line, nullptr, false);
    if (report.is_discarded() || !report.is_object()) {
        return could_not_check(
            _f("the script's last line begins with \"{{\" but is not one JSON object: {}; a "
               "script reports with one object such as {{\"status\": \"fail\"}} on its last line",
               shown(line)));
    }
    const auto status_field = report.find("status");
    if (status_field == report.end() || !status_field->is_string()) {
        return could_not_check(
            _f("the script's report has no \"status\" text: {}; a script may report {}",
               shown(line), allowed_statuses()));
    }
    const std::string said = status_field->get<std::string>();
    const auto status = check_status_from_string(said);
    if (!status || std::find(k_script_statuses.begin(), k_script_statuses.end(), *status) ==
                       k_script_statuses.end()) {
        return could_not_check(
            status == CheckStatus::waived
                ? _f("the script reported the status \"waived\", which a script may not give: "
                     "only a waivers file waives a check; a script may report {}",
                     allowed_statuses())
                : _f("the script reported the status \"{}\"; a script may report {}", shown(said),
                     allowed_statuses()));
    }
    CheckResult result;
    result.status = *status;
    result.message = text_field(report, "message");
    result.expected = text_field(report, "expected");
    if (const auto observed = report.find("observed"); observed != report.end()) {
        result.observed = observed_json::from_json(*observed);
    }
    return result;
}

}  // namespace exam
