#include "precheck/check_values.hpp"
#include <algorithm>
#include <array>
#include <charconv>

#include <exam/util/host_port.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam::check_values {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

}  // namespace

std::optional<HttpUrl> parse_http_url(std::string_view url) {
    const std::string scheme = ascii_lower(url.substr(0, url.find("://")));
    if ((scheme != "http" && scheme != "https") || url.size() < scheme.size() + 3) {
        return std::nullopt;
    }
    const bool tls = scheme == "https";
    url.remove_prefix(scheme.size() + 3);
    const auto slash = url.find('/');
    const std::string_view authority = url.substr(0, slash);
    const std::string_view path = slash == std::string_view::npos ? "/" : url.substr(slash);
    const auto host = parse_host_optional_port(authority, tls ? "443" : "80");
    // The path goes into the request line as it is: no spaces, no control characters.
    if (!host || std::any_of(path.begin(), path.end(), [](char c) {
            const auto byte = static_cast<unsigned char>(c);
            return byte <= 0x20 || byte == 0x7F;
        })) {
        return std::nullopt;
    }
    return HttpUrl{tls, host->host, host->port, std::string{path}};
}

std::optional<VersionConstraint> parse_version_constraint(std::string_view text) {
    // Longest first, so that ">=" is not read as ">" and "=1.2".
    constexpr std::array<std::pair<std::string_view, std::string_view>, 7> k_relations{{
        {">=", "ge"},
        {"<=", "le"},
        {">>", "gt"},
        {"<<", "lt"},
        {">", "gt"},
        {"<", "lt"},
        {"=", "eq"},
    }};
    text = trim_spaces(text);
    for (const auto& [written, relation] : k_relations) {
        if (!text.starts_with(written)) {
            continue;
        }
        const std::string_view version = trim_spaces(text.substr(written.size()));
        const bool debian_version = !version.empty() && is_digit(version.front()) &&
                                    std::all_of(version.begin(), version.end(), [](char c) {
                                        return is_letter(c) || is_digit(c) || c == '.' ||
                                               c == '+' || c == '~' || c == ':' || c == '-';
                                    });
        if (!debian_version) {
            return std::nullopt;
        }
        return VersionConstraint{relation, std::string{version}};
    }
    return std::nullopt;
}

bool is_percentage(std::string_view text) {
    if (!text.ends_with('%')) {
        return false;
    }
    text.remove_suffix(1);
    const auto point = text.find('.');
    const std::string_view whole = text.substr(0, point);
    const std::string_view fraction =
        point == std::string_view::npos ? std::string_view{"0"} : text.substr(point + 1);
    if (!all_digits(whole) || whole.size() > 3 || !all_digits(fraction)) {
        return false;
    }
    unsigned value = 0;
    std::from_chars(whole.data(), whole.data() + whole.size(), value);
    const bool fraction_is_zero =
        std::all_of(fraction.begin(), fraction.end(), [](char c) { return c == '0'; });
    return value < 100 || (value == 100 && fraction_is_zero);
}

std::optional<unsigned> parse_file_mode(std::string_view text) {
    if (text.size() < 3 || text.size() > 4 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        return std::nullopt;
    }
    unsigned mode = 0;
    std::from_chars(text.data(), text.data() + text.size(), mode, 8);
    return mode;
}

bool is_cups_server(std::string_view text) {
    if (text.starts_with('/')) {
        return text.size() > 1 && !has_unprintable_characters(text);
    }
    return parse_host_optional_port(text, "631").has_value();
}

std::optional<std::regex> compile_output_pattern(const std::string& pattern, std::string& error) {
    if (pattern.size() > k_max_pattern_length) {
        error = _f("the pattern has {} characters; at most {} are allowed", pattern.size(),
                   k_max_pattern_length);
        return std::nullopt;
    }
    try {
        return std::regex{pattern, std::regex::ECMAScript | std::regex_constants::__polynomial};
    } catch (const std::regex_error& e) {
        error = e.what();
        return std::nullopt;
    }
}

}  // namespace exam::check_values
