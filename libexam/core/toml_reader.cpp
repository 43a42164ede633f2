#include "core/toml_reader.hpp"
#include <algorithm>
#include <array>

#include <exam/util/byte_size.hpp>
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

// Walks TOML text once, without recursion, keeping the depth of what is open: the last table
// header's segments, each dotted key's segments on top of where it stands, and each inline
// table or array opened in a value. Strings and comments are skipped, so their brackets and
// dots do not count. It judges only depth: anything malformed is left to toml++.
class NestingScanner {
public:
    NestingScanner(std::string_view text, const std::filesystem::path& file)
        : m_text(text), m_file(file) {}

    void scan() {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == ' ' || c == '\t' || c == '\r') {
                ++m_pos;
            } else if (c == '\n') {
                next_line();
                if (m_open.empty()) {
                    m_expect_key = true;
                }
            } else if (c == '#') {
                while (m_pos < m_text.size() && m_text[m_pos] != '\n') {
                    ++m_pos;
                }
            } else if (m_expect_key && m_open.empty() && c == '[') {
                header();
            } else if (m_expect_key) {
                key();
            } else {
                value_character(c);
            }
        }
    }

private:
    struct Open {
        char bracket;
        int depth;
    };

    void next_line() {
        ++m_pos;
        ++m_line;
        m_line_start = m_pos;
    }

    void check(int depth) const {
        if (depth > k_deepest_nesting) {
            throw ConfigError(m_file, m_line, static_cast<int>(m_pos - m_line_start) + 1,
                              _f("nested more than {} levels deep here (tables, dotted keys, "
                                 "inline tables and arrays, counted together); no site file or "
                                 "check suite needs that many: is this the file you meant?",
                                 k_deepest_nesting));
        }
    }

    // A quoted string at m_pos, basic or literal, single- or multi-line: skipped whole.
    void skip_string() {
        const char quote = m_text[m_pos];
        const bool multi_line = m_text.substr(m_pos, 3) == std::string(3, quote);
        m_pos += multi_line ? 3 : 1;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == '\\' && quote == '"') {
                m_pos += 2;
            } else if (c == '\n') {
                if (!multi_line) {
                    return;  // unterminated: toml++ says so
                }
                next_line();
            } else if (c == quote &&
                       (!multi_line || m_text.substr(m_pos, 3) == std::string(3, quote))) {
                m_pos += multi_line ? 3 : 1;
                return;
            } else {
                ++m_pos;
            }
        }
    }

    // Dots between a key's (or header's) segments, up to any of `ends` outside quotes.
    int segments_until(std::string_view ends) {
        int segments = 1;
        while (m_pos < m_text.size() && ends.find(m_text[m_pos]) == std::string_view::npos) {
            const char c = m_text[m_pos];
            if (c == '"' || c == '\'') {
                skip_string();
                continue;
            }
            if (c == '.') {
                ++segments;
                check(base_depth() + segments);
            }
            ++m_pos;
        }
        return segments;
    }

    int base_depth() const { return m_open.empty() ? m_header_depth : m_open.back().depth; }

    void header() {
        m_header_depth = 0;  // a header starts from the top
        ++m_pos;
        const bool array_of_tables = m_pos < m_text.size() && m_text[m_pos] == '[';
        m_header_depth = segments_until("]\n") + (array_of_tables ? 1 : 0);
        check(m_header_depth);
        m_expect_key = false;
        while (m_pos < m_text.size() && m_text[m_pos] == ']') {
            ++m_pos;
        }
    }

    void key() {
        const int segments = segments_until("=\n}");
        m_value_depth = base_depth() + segments;
        check(m_value_depth);
        m_expect_key = false;
        if (m_pos < m_text.size() && m_text[m_pos] == '=') {
            ++m_pos;
        }
    }

    void value_character(char c) {
        if (c == '"' || c == '\'') {
            skip_string();
            return;
        }
        ++m_pos;
        if (c == '[' || c == '{') {
            const bool in_array = !m_open.empty() && m_open.back().bracket == '[';
            const int depth = (in_array ? m_open.back().depth : m_value_depth) + 1;
            --m_pos;
            check(depth);
            ++m_pos;
            m_open.push_back({c, depth});
            m_expect_key = c == '{';
        } else if ((c == ']' || c == '}') && !m_open.empty()) {
            m_open.pop_back();
        } else if (c == ',' && !m_open.empty() && m_open.back().bracket == '{') {
            m_expect_key = true;
        }
    }

    std::string_view m_text;
    const std::filesystem::path& m_file;
    std::size_t m_pos = 0;
    int m_line = 1;
    std::size_t m_line_start = 0;
    bool m_expect_key = true;
    int m_header_depth = 0;
    int m_value_depth = 0;
    std::vector<Open> m_open;
};

}  // namespace

void check_nesting(std::string_view text, const std::filesystem::path& file) {
    NestingScanner{text, file}.scan();
}

toml::table parse(std::string_view text, const std::filesystem::path& file) {
    if (text.size() > k_largest_file) {
        throw ConfigError(
            _f("\"{}\" is {} bytes; examkit reads files of at most {} bytes (a site "
               "file or a check suite is a few kilobytes): is this the file you "
               "meant?",
               file.string(), text.size(), k_largest_file));
    }
    check_nesting(text, file);
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
        if (text->get().find('\0') != std::string::npos) {
            fail_at(*node, _f("\"{}\" in {} holds a NUL character (\\u0000), which would cut "
                              "it short; remove it",
                              key, m_what));
        }
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

void Table::fail_range(std::string_view key, const std::string& least, const std::string& most,
                       const std::string& found) const {
    fail_at_key(
        key, _f("\"{}\" in {} must be from {} to {}; found {}", key, m_what, least, most, found));
}

std::optional<std::int64_t> Table::optional_integer(std::string_view key,
                                                    Range<std::int64_t> range) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    const auto* value = node->as_integer();
    if (value == nullptr) {
        fail_type(key, *node, _("a whole number"));
    }
    if (value->get() < range.least || value->get() > range.most) {
        fail_range(key, std::to_string(range.least), std::to_string(range.most),
                   std::to_string(value->get()));
    }
    return value->get();
}

std::optional<double> Table::optional_number(std::string_view key, Range<double> range) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    double number = 0;
    if (const auto* value = node->as_integer()) {
        number = static_cast<double>(value->get());
    } else if (const auto* fraction = node->as_floating_point()) {
        number = fraction->get();
    } else {
        fail_type(key, *node, _("a number"));
    }
    // Written so that nan, which compares false with everything, is refused too.
    if (!(number >= range.least && number <= range.most)) {
        fail_range(key, fmt::format("{}", range.least), fmt::format("{}", range.most),
                   fmt::format("{}", number));
    }
    return number;
}

std::optional<std::uint64_t> Table::optional_byte_size(std::string_view key,
                                                       Range<std::uint64_t> range) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    std::optional<std::uint64_t> bytes;
    std::string found;
    if (const auto* text = node->as_string()) {
        bytes = parse_byte_size(text->get());
        found = "\"" + text->get() + "\"";
    } else if (const auto* number = node->as_integer(); number != nullptr && number->get() >= 0) {
        bytes = static_cast<std::uint64_t>(number->get());
        found = std::to_string(number->get());
    }
    if (!bytes) {
        fail_at(*node, _f("\"{}\" in {} must be {}; found {}", key, m_what, byte_size_syntax(),
                          found.empty() ? std::string{describe(node->type())} : found));
    }
    if (*bytes < range.least || *bytes > range.most) {
        fail_range(key, byte_size_as_written(range.least), byte_size_as_written(range.most), found);
    }
    return bytes;
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
        if (text->get().find('\0') != std::string::npos) {
            fail_at(element, _f("an item of \"{}\" in {} holds a NUL character (\\u0000); "
                                "remove it",
                                key, m_what));
        }
        result.push_back(text->get());
    }
    return result;
}

std::optional<Milliseconds> Table::optional_duration(std::string_view key,
                                                     Range<Milliseconds> range) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    const auto* text = node->as_string();
    if (text == nullptr) {
        fail_type(key, *node, _f("a duration in quotes, {}", duration_syntax()));
    }
    const auto duration = parse_duration(text->get());
    if (!duration) {
        fail_at(*node, _f("\"{}\" in {} must be {}; found \"{}\"", key, m_what, duration_syntax(),
                          text->get()));
    }
    if (*duration < range.least || *duration > range.most) {
        fail_range(key, format_duration(range.least), format_duration(range.most),
                   "\"" + text->get() + "\"");
    }
    return duration;
}

std::optional<Milliseconds> Table::optional_interval_or_off(std::string_view key,
                                                            Range<Milliseconds> range) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    const auto* text = node->as_string();
    if (text == nullptr) {
        fail_type(key, *node, _f("a duration in quotes, {}, or \"0\" for off", duration_syntax()));
    }
    if (text->get() == "0" || parse_duration(text->get()) == Milliseconds{0}) {
        return Milliseconds{0};
    }
    const auto duration = parse_duration(text->get());
    if (!duration) {
        fail_at(*node, _f("\"{}\" in {} must be {}, or \"0\" for off; found \"{}\"", key, m_what,
                          duration_syntax(), text->get()));
    }
    if (*duration < range.least || *duration > range.most) {
        fail_range(key, format_duration(range.least), format_duration(range.most),
                   "\"" + text->get() + "\"");
    }
    return duration;
}

std::optional<std::vector<std::string>> Table::optional_command(std::string_view key) {
    const toml::node* node = lookup(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    const std::string example = "[\"/usr/local/bin/alarm-to-phone\", \"--to\", \"duty\"]";
    std::vector<std::string> command;
    if (node->is_string()) {
        const std::string program = *optional_string(key);
        if (program.find_first_of(" \t\n") != std::string::npos) {
            fail_at(*node, _f("\"{}\" in {} is run without a shell, so a string names the program "
                              "alone; write the program and its arguments as a list, such as "
                              "{}; found \"{}\"",
                              key, m_what, example, program));
        }
        if (!program.empty()) {
            command.push_back(program);
        }
    } else if (node->is_array()) {
        command = string_array(key);
        if (!command.empty() && command.front().empty()) {
            fail_at(*node, _f("the first item of \"{}\" in {} is the program to run and must not "
                              "be empty",
                              key, m_what));
        }
    } else {
        fail_type(key, *node,
                  _f("a program and its arguments as a list of strings, such as {}", example));
    }
    if (command.empty()) {
        return std::nullopt;
    }
    return command;
}

Milliseconds Table::required_duration(std::string_view key, Range<Milliseconds> range) {
    const auto duration = optional_duration(key, range);
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
