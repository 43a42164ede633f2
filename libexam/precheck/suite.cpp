#include <algorithm>
#include <array>
#include <set>

#include <nlohmann/json.hpp>

#include <exam/precheck/suite.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "core/toml_reader.hpp"
#include "precheck/check_values.hpp"

namespace exam {
namespace {

using toml_reader::Table;

enum class Kind {
    text,
    integer,
    number,
    text_list,
    boolean,
    byte_size,
    size_or_percent,
    regex,
    duration,
    choice  // one word of Parameter::choices
};

struct Parameter {
    std::string_view key;
    Kind kind;
    bool required = false;
    // Parameters sharing a group are alternatives: exactly one of them must be given.
    std::string_view group = {};
    std::vector<std::string_view> choices = {};
};

// The range of every numeric parameter (durations in milliseconds), as docs/check-suite.md
// gives them; a value outside is refused at load with its line.
struct ParameterRange {
    std::string_view key;
    double least;
    double most;
};

constexpr std::array k_parameter_ranges{
    ParameterRange{"expect_exit", 0, 255},         ParameterRange{"min_count", 0, 100'000},
    ParameterRange{"expect_status", 100, 599},     ParameterRange{"max_load", 0, 1'000'000},
    ParameterRange{"warn_offset", 1, 3'600'000},  // 1 ms to 1 h
    ParameterRange{"fail_offset", 1, 3'600'000},   ParameterRange{"width", 16, 16'384},
    ParameterRange{"height", 16, 16'384},          ParameterRange{"fps", 0.1, 240},
    ParameterRange{"sample", 200, 60'000},  // 200 ms to 1 min of pictures
    ParameterRange{"min_brightness", 0, 255},      ParameterRange{"min_contrast", 0, 255},
    ParameterRange{"min_sharpness", 0, 1'000'000}, ParameterRange{"min_motion", 0, 100},
};

ParameterRange range_of(std::string_view key) {
    for (const ParameterRange& range : k_parameter_ranges) {
        if (range.key == key) {
            return range;
        }
    }
    throw std::logic_error("no range for the check parameter " + std::string{key});
}

// A check's timeout (and the suite's default), and the pause between its attempts: the pause
// is bounded by the timeout too, so that no retry_delay can keep a run waiting for ever.
constexpr toml_reader::Range<Milliseconds> k_timeout_range{std::chrono::milliseconds{100},
                                                           std::chrono::hours{1}};
constexpr toml_reader::Range<Milliseconds> k_retry_delay_range{Milliseconds{0},
                                                               std::chrono::hours{1}};

struct TypeSchema {
    std::string_view type;
    std::vector<Parameter> parameters;
};

// Every type's own keys. A check must assert something: the required keys (or a group) say
// what; a type without them (window) asserts by its nature.
const std::vector<TypeSchema>& schemas() {
    static const std::vector<TypeSchema> k_schemas{
        {"command",
         {{"run", Kind::text, false, "program"},
          {"argv", Kind::text_list, false, "program"},
          {"expect_exit", Kind::integer},
          {"expect_output", Kind::regex}}},
        {"file",
         {{"path", Kind::text, true},
          {"kind", Kind::choice, false, {}, {"file", "directory", "symlink"}},
          {"mode", Kind::text},
          {"owner", Kind::text},
          {"min_size", Kind::byte_size},
          {"max_size", Kind::byte_size},
          {"sha256", Kind::text}}},
        {"package", {{"name", Kind::text, true}, {"version", Kind::text}}},
        {"process", {{"name", Kind::text, true}, {"min_count", Kind::integer}}},
        {"service", {{"unit", Kind::text, true}}},
        {"disk", {{"path", Kind::text, true}, {"min_free", Kind::size_or_percent, true}}},
        {"memory", {{"min_available", Kind::size_or_percent, true}}},
        {"cpu-load", {{"max_load", Kind::number, true}}},
        {"tcp", {{"address", Kind::text, true}}},
        {"dns", {{"name", Kind::text, true}, {"expect_address", Kind::text}}},
        {"http",
         {{"url", Kind::text, true},
          {"expect_status", Kind::integer},
          {"follow_redirects", Kind::boolean},
          {"verify_tls", Kind::boolean}}},
        {"window", {}},
        {"clock",
         {{"server", Kind::text},  // else the site's [time] ntp_server
          {"warn_offset", Kind::duration},
          {"fail_offset", Kind::duration},
          {"check_timezone", Kind::boolean}}},
        // Every camera of the site unless narrowed by "cameras", "room" or one "uri".
        {"camera",
         {{"uri", Kind::text},
          {"cameras", Kind::text_list},
          {"room", Kind::text},
          {"width", Kind::integer},
          {"height", Kind::integer},
          {"fps", Kind::number},
          {"sample", Kind::duration},
          {"min_brightness", Kind::number},
          {"min_contrast", Kind::number},
          {"min_sharpness", Kind::number},
          {"min_motion", Kind::number}}},
        {"printer", {{"name", Kind::text, true}, {"server", Kind::text}}},
        // The site's recordings folder against its cameras and the exam's recording window.
        {"recording-storage", {{"path", Kind::text}, {"reserve", Kind::byte_size}}},
    };
    return k_schemas;
}

// A value from the file as a message shows it: safe for a terminal, and not 30,000 characters.
std::string shown(std::string_view value) {
    constexpr std::size_t k_shown = 80;
    if (value.size() <= k_shown) {
        return for_terminal(value);
    }
    std::size_t cut = k_shown;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) {
        --cut;  // not inside a UTF-8 character
    }
    return _f("{}… ({} characters)", for_terminal(value.substr(0, cut)), value.size());
}

constexpr std::array k_severities{
    std::pair<std::string_view, Severity>{"critical", Severity::critical},
    std::pair<std::string_view, Severity>{"warning", Severity::warning},
};

// Reads the type's keys into a JSON object, checking each value's form.
nlohmann::json read_parameters(Table& table, const TypeSchema& schema, const std::string& id) {
    nlohmann::json parameters = nlohmann::json::object();
    std::set<std::string_view> groups;
    std::set<std::string_view> groups_given;
    for (const Parameter& parameter : schema.parameters) {
        const std::string key{parameter.key};
        bool given = false;
        switch (parameter.kind) {
            case Kind::text:
            case Kind::regex:
            case Kind::byte_size:
            case Kind::size_or_percent:
                if (auto text = table.optional_string(parameter.key)) {
                    given = true;
                    std::string error;
                    if (parameter.kind == Kind::regex &&
                        !check_values::compile_output_pattern(*text, error)) {
                        table.fail_at_key(parameter.key,
                                          _f("\"{}\" is not a regular expression this check can "
                                             "use: {}; found \"{}\"",
                                             parameter.key, error, shown(*text)));
                    }
                    // A percentage is a number from 0 to 100 before the '%'; the checks
                    // read it back with std::stod, so it must be one here.
                    const bool percent = parameter.kind == Kind::size_or_percent &&
                                         check_values::is_percentage(*text);
                    if ((parameter.kind == Kind::byte_size ||
                         parameter.kind == Kind::size_or_percent) &&
                        !percent && !parse_byte_size(*text)) {
                        table.fail_at_key(parameter.key,
                                          _f("\"{}\" must be {}{}; found \"{}\"", parameter.key,
                                             byte_size_syntax(),
                                             parameter.kind == Kind::size_or_percent
                                                 ? _(" or a percentage such as \"10%\"")
                                                 : "",
                                             shown(*text)));
                    }
                    parameters[key] = *text;
                }
                break;
            case Kind::choice:
                if (auto text = table.optional_choice(parameter.key, parameter.choices)) {
                    given = true;
                    parameters[key] = *text;
                }
                break;
            case Kind::duration:
                if (const auto value = table.optional_duration(
                        parameter.key,
                        {Milliseconds{static_cast<std::int64_t>(range_of(parameter.key).least)},
                         Milliseconds{static_cast<std::int64_t>(range_of(parameter.key).most)}})) {
                    given = true;
                    parameters[key] = value->count();  // milliseconds
                }
                break;
            case Kind::integer:
                if (const auto value = table.optional_integer(
                        parameter.key, {static_cast<std::int64_t>(range_of(parameter.key).least),
                                        static_cast<std::int64_t>(range_of(parameter.key).most)})) {
                    given = true;
                    parameters[key] = *value;
                }
                break;
            case Kind::number:
                if (const auto value = table.optional_number(
                        parameter.key,
                        {range_of(parameter.key).least, range_of(parameter.key).most})) {
                    given = true;
                    parameters[key] = *value;
                }
                break;
            case Kind::boolean:
                if (const auto value = table.optional_bool(parameter.key)) {
                    given = true;
                    parameters[key] = *value;
                }
                break;
            case Kind::text_list: {
                auto list = table.string_array(parameter.key);
                if (!list.empty()) {
                    given = true;
                    parameters[key] = list;
                }
                break;
            }
        }
        if (!parameter.group.empty()) {
            groups.insert(parameter.group);
            if (given) {
                if (groups_given.contains(parameter.group)) {
                    table.fail_at_key(parameter.key,
                                      _f("a {} check takes only one of its {} keys; remove one",
                                         schema.type, parameter.group));
                }
                groups_given.insert(parameter.group);
            }
        } else if (parameter.required && !given) {
            const std::array keys{parameter.key};
            table.fail_at_missing(
                keys, _f("check \"{}\" of type {} needs \"{}\": without it, it would check nothing",
                         id, schema.type, parameter.key));
        }
    }
    for (const std::string_view group : groups) {
        if (!groups_given.contains(group)) {
            std::string keys_text;
            std::vector<std::string_view> keys;
            for (const Parameter& parameter : schema.parameters) {
                if (parameter.group == group) {
                    keys_text += keys_text.empty() ? "" : _(" or ");
                    keys_text += "\"" + std::string{parameter.key} + "\"";
                    keys.push_back(parameter.key);
                }
            }
            table.fail_at_missing(
                keys, _f("check \"{}\" of type {} needs {}: without it, it would check nothing", id,
                         schema.type, keys_text));
        }
    }
    return parameters;
}

// Addresses are read when the suite loads, so that a wrong one stops the run before any check
// runs instead of surfacing as one check's error on the exam morning.
void check_addresses(Table& table, const std::string& type, const nlohmann::json& parameters) {
    const auto text = [&](const char* key) { return parameters[key].get<std::string>(); };
    if (type == "tcp" && !parse_host_port(text("address"))) {
        table.fail_at_key("address",
                          _f("\"address\" must be HOST:PORT or [IPv6]:PORT with a port from 1 "
                             "to 65535, such as \"192.168.1.20:554\"; found \"{}\"",
                             shown(text("address"))));
    }
    if (type == "http" && !check_values::parse_http_url(text("url"))) {
        table.fail_at_key("url", _f("\"url\" must be an HTTP or HTTPS address, "
                                    "http[s]://HOST[:PORT][/PATH], with a host, a port from 1 to "
                                    "65535 and a path without spaces (other schemes are not "
                                    "spoken by this check); found \"{}\"",
                                    shown(text("url"))));
    }
    if (type == "clock" && parameters.contains("server") &&
        !parse_host_optional_port(text("server"), "123")) {
        table.fail_at_key("server", _f("\"server\" must be an NTP server as HOST, HOST:PORT, "
                                       "[IPv6] or [IPv6]:PORT, with a port from 1 to 65535; "
                                       "found \"{}\"",
                                       shown(text("server"))));
    }
    if (type == "printer" && parameters.contains("server") &&
        !check_values::is_cups_server(text("server"))) {
        table.fail_at_key(
            "server",
            _f("\"server\" must be a CUPS server as HOST, HOST:PORT, [IPv6]:PORT or a "
               "socket path such as /run/cups/cups.sock, with a port from 1 to 65535; found "
               "\"{}\"",
               shown(text("server"))));
    }
}

// What the keys' forms alone cannot say: keys that only make sense together, and values whose
// form the check would otherwise find wrong only when it runs.
void check_type_specific_keys(Table& table, const std::string& type,
                              const nlohmann::json& parameters) {
    if (type == "camera") {
        if (parameters.contains("width") != parameters.contains("height")) {
            table.fail_at_key(parameters.contains("width") ? "width" : "height",
                              _("a camera check's picture size needs both \"width\" and "
                                "\"height\" (or neither: then the site's size is checked)"));
        }
    }
    check_addresses(table, type, parameters);
    if (type == "file" && parameters.contains("mode") &&
        !check_values::parse_file_mode(parameters["mode"].get<std::string>())) {
        table.fail_at_key("mode", _f("\"mode\" must be permission bits as three or four octal "
                                     "digits, such as \"0640\" or \"4755\"; found \"{}\"",
                                     shown(parameters["mode"].get<std::string>())));
    }
    if (type == "package" && parameters.contains("version") &&
        !check_values::parse_version_constraint(parameters["version"].get<std::string>())) {
        table.fail_at_key(
            "version",
            _f("\"version\" must be a relation (>=, <=, >, <, >>, <<, =) and a Debian version "
               "that begins with a digit, such as \">= 1.2\" or \"= 2:1.0-3\"; found \"{}\"",
               shown(parameters["version"].get<std::string>())));
    }
}

CheckSpec read_check(Table& table, Milliseconds default_timeout) {
    CheckSpec check;
    check.line = table.line();
    check.id = table.required_string("id");
    check.title = table.optional_string("title").value_or(check.id);
    check.type = table.required_string("type");
    const auto& all = schemas();
    const auto schema = std::find_if(all.begin(), all.end(),
                                     [&](const TypeSchema& s) { return s.type == check.type; });
    if (schema == all.end()) {
        std::vector<std::string_view> names;
        for (const TypeSchema& s : all) {
            names.push_back(s.type);
        }
        table.fail_at_key("type", _f("unknown check type \"{}\"", check.type) +
                                      did_you_mean(check.type, names, _("the types are")));
    }
    check.severity =
        table.optional_enum<Severity>("severity", k_severities).value_or(Severity::critical);
    check.tags = table.string_array("tags");
    check.timeout = table.optional_duration("timeout", k_timeout_range);
    check.retries = static_cast<int>(table.optional_integer("retries", {0, 100}).value_or(0));
    const Milliseconds timeout = check.timeout.value_or(default_timeout);
    const auto retry_delay = table.optional_duration("retry_delay", k_retry_delay_range);
    check.retry_delay = retry_delay.value_or(std::min(check.retry_delay, timeout));
    if (check.retry_delay > timeout) {
        table.fail_at_key("retry_delay",
                          _f("\"retry_delay\" ({}) must not be longer than the check's timeout "
                             "({}): a pause between attempts is bounded by the timeout",
                             format_duration(check.retry_delay), format_duration(timeout)));
    }
    check.hint = table.optional_string("hint").value_or("");
    check.exclusive = table.optional_bool("exclusive").value_or(false);
    const nlohmann::json parameters = read_parameters(table, *schema, check.id);
    check_type_specific_keys(table, check.type, parameters);
    check.parameters_json = parameters.dump();
    table.finish();
    return check;
}

}  // namespace

std::string_view to_string(Severity severity) {
    return severity == Severity::critical ? "critical" : "warning";
}

std::vector<std::string_view> check_types() {
    std::vector<std::string_view> names;
    for (const TypeSchema& schema : schemas()) {
        names.push_back(schema.type);
    }
    return names;
}

const CheckSpec* Suite::find(std::string_view id) const {
    const auto it =
        std::find_if(checks.begin(), checks.end(), [id](const CheckSpec& c) { return c.id == id; });
    return it == checks.end() ? nullptr : &*it;
}

Suite parse_suite(std::string_view text, const std::filesystem::path& file) {
    const toml::table document = toml_reader::parse(text, file);
    Table root{document, _("the suite"), file};
    Suite suite;
    suite.file = file;
    // Absolute, because checks run with the suite's folder as their working directory.
    std::error_code error;
    const std::filesystem::path absolute = std::filesystem::absolute(file, error);
    suite.folder = (error ? file : absolute).parent_path();
    suite.default_timeout =
        root.optional_duration("default_timeout", k_timeout_range).value_or(suite.default_timeout);
    std::set<std::string> ids;
    for (Table& check_table : root.tables("check")) {
        CheckSpec check = read_check(check_table, suite.default_timeout);
        if (!ids.insert(check.id).second) {
            check_table.fail_at_key(
                "id", _f("duplicate check id \"{}\": reports, waivers and history need each "
                         "check's own id",
                         check.id));
        }
        suite.checks.push_back(std::move(check));
    }
    root.finish();
    if (suite.checks.empty()) {
        root.fail_at_table(_("the suite has no [[check]] tables: it would check nothing"));
    }
    return suite;
}

Suite load_suite(const std::filesystem::path& file) {
    return parse_suite(read_text_file(file, _("the suite"), FileRole::configuration), file);
}

}  // namespace exam
