// The forms of values a suite gives its checks (addresses, URLs, version constraints, file
// modes, percentages, CUPS servers, output patterns), read by hand so that a long or hostile
// value costs nothing: no backtracking regular expression ever runs on text from a file.
// The suite's loader refuses a value these reject; the checks read it back with the same
// functions. Private to libexam.
#pragma once

#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include <exam/util/host_port.hpp>

namespace exam::check_values {

// A pattern longer than this is refused: std::regex compiles by recursion over the pattern,
// and no real expected output needs more.
constexpr std::size_t k_max_pattern_length = 1000;

struct HttpUrl {
    bool tls = false;  // https
    std::string host;  // without IPv6 brackets
    std::string port;  // "80" or "443" unless written
    std::string path;  // "/" unless written
};
// "http[s]://HOST[:PORT][/PATH]": HTTP or HTTPS, a host, a port from 1 to 65535, and a path of
// printable characters without spaces. Checked when the suite loads, so that a typo is found
// then and not at 7:30; libcurl does the rest.
std::optional<HttpUrl> parse_http_url(std::string_view url);

struct VersionConstraint {
    std::string_view relation;  // dpkg --compare-versions' word: ge, le, gt, lt, eq
    std::string version;
};
// ">= 1.2": one of >=, <=, >>, <<, >, <, = and a Debian version (a digit first, then digits,
// letters and . + ~ : -), spaces around either allowed.
std::optional<VersionConstraint> parse_version_constraint(std::string_view text);

// "10%", "2.5%", "100%": a number from 0 to 100 and a percent sign.
bool is_percentage(std::string_view text);

// "0640", "640", "4755": three or four octal digits.
std::optional<unsigned> parse_file_mode(std::string_view text);

// A CUPS server as CUPS takes it: "HOST", "HOST:PORT", "[IPv6]:PORT" or a socket path.
bool is_cups_server(std::string_view text);

// The pattern of `expect_output`, compiled for searching without backtracking (libstdc++'s
// polynomial mode: no recursion over the text searched, no back-references); nothing, with the
// reason in `error`, when it is too long or not a regular expression.
std::optional<std::regex> compile_output_pattern(const std::string& pattern, std::string& error);

}  // namespace exam::check_values
