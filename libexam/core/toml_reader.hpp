// Strict reading of TOML tables for examkit's own files (the site file, check suites). Every
// complaint is a ConfigError at FILE:LINE:COL of the offending key or value; keys nobody asked
// for are rejected by finish() with a did-you-mean. Private to libexam: toml++ is heavy, and
// only the loaders' own .cpp files include this.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include <exam/util/duration.hpp>
#include <exam/util/error.hpp>

namespace exam::toml_reader {

// The largest file parse() reads (1 MiB: a site file with a hundred rooms is ~30 KB) and the
// deepest nesting it hands to toml++ (tables within tables, dotted keys, inline tables and
// arrays). toml++ parses recursively, so 50,000 nested keys in 100 KB overflow the stack:
// nesting is counted by check_nesting() first, without recursion.
inline constexpr std::size_t k_largest_file = 1024 * 1024;
inline constexpr int k_deepest_nesting = 32;

// Refuses text nested deeper than k_deepest_nesting, at the line and column where it goes
// deeper; text that is not TOML is left for toml++ to refuse.
void check_nesting(std::string_view text, const std::filesystem::path& file);

// Parses text; a syntax error becomes a ConfigError at its position. Text longer than
// k_largest_file or nested deeper than k_deepest_nesting is refused before toml++ sees it.
toml::table parse(std::string_view text, const std::filesystem::path& file);

// The smallest and the largest value a key takes, said in the message that refuses another.
template <typename T>
struct Range {
    T least;
    T most;
};

// "a string", "an integer", ... for messages.
std::string_view describe(toml::node_type type);

class Table {
public:
    // `what` names the table in messages: "[[room.camera]]", "the site file".
    Table(const toml::table& table, std::string what, const std::filesystem::path& file);

    std::string required_string(std::string_view key);
    std::optional<std::string> optional_string(std::string_view key);
    // Strings never hold a NUL (\u0000): it would cut a path or an address short.
    std::optional<std::int64_t> optional_integer(std::string_view key, Range<std::int64_t> range);
    // An integer or a float, finite (never nan or inf) and within the range.
    std::optional<double> optional_number(std::string_view key, Range<double> range);
    // A size in quotes ("500MB", "2GiB") or a number of bytes, within the range.
    std::optional<std::uint64_t> optional_byte_size(std::string_view key,
                                                    Range<std::uint64_t> range);
    std::optional<bool> optional_bool(std::string_view key);
    // The line of the table itself (its [[header]]), for messages that point at a whole entry.
    int line() const;
    // An array of strings; empty when the key is absent.
    std::vector<std::string> string_array(std::string_view key);
    // A duration in quotes ("90s", "1h30m"), within the range.
    Milliseconds required_duration(std::string_view key, Range<Milliseconds> range);
    std::optional<Milliseconds> optional_duration(std::string_view key, Range<Milliseconds> range);
    // An interval that "0" (or any zero duration) turns off: zero then, else within the range.
    std::optional<Milliseconds> optional_interval_or_off(std::string_view key,
                                                         Range<Milliseconds> range);
    // A program and its arguments, run without a shell: a list of strings (["notify", "-v"]),
    // or a string naming the program alone. Nullopt when absent or empty ("", []); a string
    // with spaces is refused, since nothing splits it into words.
    std::optional<std::vector<std::string>> optional_command(std::string_view key);
    // A TOML local date (2026-06-01) or the same as a string ("2026-06-01").
    std::chrono::year_month_day required_date(std::string_view key);
    // A TOML local time (10:00:00) or a string "HH:MM" / "HH:MM:SS".
    std::chrono::seconds required_time_of_day(std::string_view key);

    // One word of a fixed set; any other is refused with a did-you-mean.
    std::optional<std::string> optional_choice(std::string_view key,
                                               std::span<const std::string_view> choices);
    template <typename Enum>
    std::optional<Enum> optional_enum(std::string_view key,
                                      std::span<const std::pair<std::string_view, Enum>> names);

    // Each element of an array of tables ([[key]]); empty when the key is absent.
    // `what` names each element in messages; by default "[[key]]".
    std::vector<Table> tables(std::string_view key, std::string what = {});
    std::optional<Table> table(std::string_view key);

    // Rejects any key that no call above asked about.
    void finish() const;

    [[noreturn]] void fail_at(const toml::node& node, const std::string& message) const;
    [[noreturn]] void fail_at_key(std::string_view key, const std::string& message) const;
    [[noreturn]] void fail_at_table(const std::string& message) const;
    // For a required key (or one of alternatives) that is absent: at a key of this table that
    // nobody asked for and that looks like a misspelling of it (`timezon`), asking whether it
    // is; else at the table itself.
    [[noreturn]] void fail_at_missing(std::span<const std::string_view> keys,
                                      const std::string& message) const;

    const std::string& what() const { return m_what; }
    const std::filesystem::path& file() const { return m_file; }

private:
    const toml::node* lookup(std::string_view key);
    [[noreturn]] void fail_type(std::string_view key, const toml::node& node,
                                std::string_view expected) const;
    [[noreturn]] void fail_missing(std::string_view key) const;
    // At the key: "KEY in WHAT must be from LEAST to MOST; found FOUND".
    [[noreturn]] void fail_range(std::string_view key, const std::string& least,
                                 const std::string& most, const std::string& found) const;

    const toml::table* m_table;
    std::string m_what;
    std::filesystem::path m_file;
    std::vector<std::string_view> m_known_keys;
};

template <typename Enum>
std::optional<Enum> Table::optional_enum(std::string_view key,
                                         std::span<const std::pair<std::string_view, Enum>> names) {
    std::vector<std::string_view> choices;
    for (const auto& [name, value] : names) {
        choices.push_back(name);
    }
    const auto text = optional_choice(key, choices);
    if (!text) {
        return std::nullopt;
    }
    for (const auto& [name, value] : names) {
        if (name == *text) {
            return value;
        }
    }
    return std::nullopt;  // optional_choice let through only one of the names
}

}  // namespace exam::toml_reader
