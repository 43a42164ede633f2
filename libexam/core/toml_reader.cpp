#include "core/toml_reader.hpp"
#include <algorithm>
#include <array>

#include <exam/util/text.hpp>
#include <exam/util/time.hpp>
#include <exam/util/translate.hpp>

namespace exam::toml_reader {
namespace {

int line_of(const toml::source_region& source) {
    return static_cast<int>(source.begin.line);
}

int column_of(const toml::source_region& source) {
    return static_cast<int>(source.begin.column);
}

}  // namespace

toml::table parse(std::string_view text, const std::filesystem::path& file) {
    try {
        return toml::parse(text, file.string());
    } catch (const toml::parse_error& error) {
        throw ConfigError(file, line_of(error.source()), column_of(error.source()),
                          std::string{error.description()});
    }
}

std::string_view describe(toml::node_type type) {
    switch (type) {
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a number with a fraction";
        case toml::node_type::boolean: return "true or false";
        case toml::node_type::date: return "a date";
        case toml::node_type::time: return "a time";
        case toml::node_type::date_time: return "a date and time";
        case toml::node_type::none: break;
    }
    return "nothing";
}

Table::Table(const toml::table& table, std::string what, const std::filesystem::path& file)
    : m_table(&table), m_what(std::move(what)), m_file(file) {}

const toml::node* Table::lookup(std::string_view key) {
    if (std::find(m_known_keys.begin(), m_known_keys.end(), key) == m_known_keys.end()) {
        m_known_keys.push_back(key);
    }
    return m_table->get(key);
}

void Table::fail_at(const toml::node& node, const std::string& message) const {
    throw ConfigError(m_file, line_of(node.source()), column_of(node.source()), message);
}

void Table::fail_at_key(std::string_view key, const std::string& message) const {
    for (auto&& [name, node] : *m_table) {
        if (name.str() == key) {
            throw ConfigError(m_file, line_of(name.source()), column_of(name.source()), message);
        }
    }
    fail_at_table(message);
}

void Table::fail_at_table(const std::string& message) const {
    fail_at(*m_table, message);
}

void Table::fail_type(std::string_view key, const toml::node& node,
                      std::string_view expected) const {
    fail_at(node,
            _f("\"{}\" in {} must be {}; found {}", key, m_what, expected, describe(node.type())));
}

void Table::fail_at_missing(std::span<const std::string_view> keys,
                            const std::string& message) const {
    // Only keys nobody asked for: a key the loader knows is not a typo, however close.
    std::vector<std::string_view> unasked;
    for (auto&& [name, node] : *m_table) {
        if (std::find(m_known_keys.begin(), m_known_keys.end(), name.str()) == m_known_keys.end()) {
            unasked.push_back(name.str());
        }
    }
    for (const std::string_view key : keys) {
        if (const auto typo = closest_match(key, unasked)) {
            fail_at_key(*typo,
                        message + _f("; is \"{}\" here a misspelling of \"{}\"?", *typo, key));
        }
    }
    fail_at_table(message);
}

void Table::fail_missing(std::string_view key) const {
    const std::array keys{key};
    fail_at_missing(keys, _f("{} is missing the required key \"{}\"", m_what, key));
}

std::optional<std::string> Table::optional_string(std::string_view key) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (const auto* text = node->as_string()) {
        return text->get();
    }
    fail_type(key, *node, _("a quoted string"));
}

std::string Table::required_string(std::string_view key) {
    auto text = optional_string(key);
    if (!text) {
        fail_missing(key);
    }
    if (text->empty()) {
        fail_at(*m_table->get(key), _f("\"{}\" in {} must not be empty", key, m_what));
    }
    return *text;
}

std::optional<std::string> Table::optional_choice(std::string_view key,
                                                  std::span<const std::string_view> choices) {
    auto text = optional_string(key);
    if (!text || std::find(choices.begin(), choices.end(), *text) != choices.end()) {
        return text;
    }
    std::string list;
    for (const std::string_view choice : choices) {
        list += list.empty() ? "" : ", ";
        list += choice;
    }
    fail_at(*m_table->get(key), _f("\"{}\" in {} must be one of {}; found \"{}\"{}", key, m_what,
                                   list, *text, did_you_mean(*text, choices)));
}

std::optional<std::int64_t> Table::optional_integer(std::string_view key) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (const auto* value = node->as_integer()) {
        return value->get();
    }
    fail_type(key, *node, _("a whole number"));
}

std::optional<double> Table::optional_number(std::string_view key) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (const auto* value = node->as_integer()) {
        return static_cast<double>(value->get());
    }
    if (const auto* value = node->as_floating_point()) {
        return value->get();
    }
    fail_type(key, *node, _("a number"));
}

std::optional<bool> Table::optional_bool(std::string_view key) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (const auto* value = node->as_boolean()) {
        return value->get();
    }
    fail_type(key, *node, _("true or false"));
}

int Table::line() const {
    return line_of(m_table->source());
}

std::vector<std::string> Table::string_array(std::string_view key) {
    const toml::node* node = lookup(key);
    std::vector<std::string> result;
    if (node == nullptr) {
        return result;
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
        fail_type(key, *node, _("an array of quoted strings, such as [\"police\", \"medic\"]"));
    }
    for (const toml::node& element : *array) {
        const auto* text = element.as_string();
        if (text == nullptr) {
            fail_at(element, _f("each item of \"{}\" in {} must be a quoted string; found {}", key,
                                m_what, describe(element.type())));
        }
        result.push_back(text->get());
    }
    return result;
}

std::optional<Milliseconds> Table::optional_duration(std::string_view key) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    const auto* text = node->as_string();
    if (text == nullptr) {
        fail_type(key, *node, _f("a duration in quotes, {}", k_duration_syntax));
    }
    const auto duration = parse_duration(text->get());
    if (!duration) {
        fail_at(*node, _f("\"{}\" in {} must be {}; found \"{}\"", key, m_what, k_duration_syntax,
                          text->get()));
    }
    return duration;
}

Milliseconds Table::required_duration(std::string_view key) {
    const auto duration = optional_duration(key);
    if (!duration) {
        fail_missing(key);
    }
    return *duration;
}

std::chrono::year_month_day Table::required_date(std::string_view key) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        fail_missing(key);
    }
    if (const auto* date = node->as_date()) {
        const toml::date& value = date->get();
        const std::chrono::year_month_day result{std::chrono::year{value.year},
                                                 std::chrono::month{value.month},
                                                 std::chrono::day{value.day}};
        if (result.ok()) {
            return result;
        }
    } else if (const auto* text = node->as_string()) {
        if (const auto result = parse_date(text->get())) {
            return *result;
        }
        fail_at(*node, _f("\"{}\" in {} must be a date written YYYY-MM-DD, such as 2026-06-01; "
                          "found \"{}\"",
                          key, m_what, text->get()));
    } else {
        fail_type(key, *node, _("a date written YYYY-MM-DD, such as 2026-06-01"));
    }
    fail_at(*node, _f("\"{}\" in {} is not a day of the calendar", key, m_what));
}

std::chrono::seconds Table::required_time_of_day(std::string_view key) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        fail_missing(key);
    }
    if (const auto* time = node->as_time()) {
        const toml::time& value = time->get();
        return std::chrono::hours{value.hour} + std::chrono::minutes{value.minute} +
               std::chrono::seconds{value.second};
    }
    if (const auto* text = node->as_string()) {
        if (const auto result = parse_time_of_day(text->get())) {
            return *result;
        }
        fail_at(*node, _f("\"{}\" in {} must be a time of day written \"HH:MM\" on a 24-hour "
                          "clock, such as \"10:00\"; found \"{}\"",
                          key, m_what, text->get()));
    }
    fail_type(key, *node, _("a time of day written \"HH:MM\", such as \"10:00\""));
}

std::vector<Table> Table::tables(std::string_view key, std::string what) {
    const toml::node* node = lookup(key);
    std::vector<Table> result;
    if (node == nullptr) {
        return result;
    }
    const auto* array = node->as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
        fail_type(key, *node, _f("tables written [[{}]]", key));
    }
    for (const toml::node& element : *array) {
        result.emplace_back(*element.as_table(),
                            what.empty() ? "[[" + std::string{key} + "]]" : what, m_file);
    }
    return result;
}

std::optional<Table> Table::table(std::string_view key) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    const auto* table = node->as_table();
    if (table == nullptr) {
        fail_type(key, *node, _f("a table written [{}]", key));
    }
    return Table{*table, "[" + std::string{key} + "]", m_file};
}

void Table::finish() const {
    for (auto&& [name, node] : *m_table) {
        const std::string_view key = name.str();
        if (std::find(m_known_keys.begin(), m_known_keys.end(), key) != m_known_keys.end()) {
            continue;
        }
        throw ConfigError(m_file, line_of(name.source()), column_of(name.source()),
                          _f("unknown key \"{}\" in {}", key, m_what) +
                              did_you_mean(key, m_known_keys, _("the keys allowed here are")));
    }
}

}  // namespace exam::toml_reader
