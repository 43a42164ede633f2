// Check suites: TOML files of [[check]] tables describing what a station must look like.
// Strict like the site file: an unknown key, a wrong type, a duplicate id, a check type that
// does not exist, or a check that asserts nothing is a ConfigError at FILE:LINE:COL.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <exam/export.hpp>
#include <exam/util/duration.hpp>

namespace exam {

enum class Severity { critical, warning };

EXAM_EXPORT std::string_view to_string(Severity severity);

struct CheckSpec {
    std::string id;  // stable: reports, waivers and history refer to it
    std::string title;
    std::string type;  // one of check_types()
    Severity severity = Severity::critical;
    std::vector<std::string> tags;
    std::optional<Milliseconds> timeout;  // else the suite's default
    int retries = 0;
    Milliseconds retry_delay{1000};
    std::string hint;             // what to do when it fails
    bool exclusive = false;       // never run at the same time as another exclusive check
    std::string parameters_json;  // the type's own keys, checked at load, as a JSON object
    int line = 0;                 // where the check is written, for messages
};

struct EXAM_EXPORT Suite {
    std::filesystem::path file;
    std::filesystem::path folder;  // relative programs and paths resolve here
    Milliseconds default_timeout{10000};
    std::vector<CheckSpec> checks;

    [[nodiscard]] const CheckSpec* find(std::string_view id) const;
};

// The check types this build knows, for help and messages.
EXAM_EXPORT std::vector<std::string_view> check_types();

EXAM_EXPORT Suite load_suite(const std::filesystem::path& file);
EXAM_EXPORT Suite parse_suite(std::string_view text, const std::filesystem::path& file);

}  // namespace exam
