#include <algorithm>
#include <charconv>

#include <exam/util/host_port.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_hex_digit(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

// A host name or IPv4 address: letters, digits, '.', '-' and '_', at most 253 of them.
bool is_host_name(std::string_view host) {
    return !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
        return is_letter(c) || is_digit(c) || c == '.' || c == '-' || c == '_';
    });
}

// The inside of "[...]": hex digits, ':' and '.' (an IPv4 tail), with at least one ':'.
bool is_ipv6_literal(std::string_view address) {
    return address.size() >= 2 && address.size() <= 45 &&
           address.find(':') != std::string_view::npos &&
           std::all_of(address.begin(), address.end(),
                       [](char c) { return is_hex_digit(c) || c == ':' || c == '.'; });
}

bool is_port(std::string_view port) {
    if (!all_digits(port) || port.size() > 5) {
        return false;
    }
    unsigned value = 0;
    std::from_chars(port.data(), port.data() + port.size(), value);
    return value >= 1 && value <= 65535;
}

// "HOST" or "[IPv6]" and what follows it ("" or ":PORT"), checked.
std::optional<HostPort> split_host(std::string_view address, std::string_view default_port,
                                   bool port_required) {
    HostPort parts;
    std::string_view rest;
    if (address.starts_with('[')) {
        const auto close = address.find(']');
        if (close == std::string_view::npos || !is_ipv6_literal(address.substr(1, close - 1))) {
            return std::nullopt;
        }
        parts.host = address.substr(1, close - 1);
        rest = address.substr(close + 1);
    } else {
        const auto colon = address.find(':');
        parts.host = address.substr(0, colon);
        rest = colon == std::string_view::npos ? std::string_view{} : address.substr(colon);
        if (!is_host_name(parts.host)) {
            return std::nullopt;
        }
    }
    if (rest.empty()) {
        if (port_required) {
            return std::nullopt;
        }
        parts.port = default_port;
        return parts;
    }
    if (!rest.starts_with(':') || !is_port(rest.substr(1))) {
        return std::nullopt;
    }
    parts.port = rest.substr(1);
    return parts;
}

}  // namespace

std::optional<HostPort> parse_host_port(std::string_view address) {
    return split_host(address, {}, true);
}

std::optional<HostPort> parse_host_optional_port(std::string_view address,
                                                 std::string_view default_port) {
    return split_host(address, default_port, false);
}

std::string host_port_syntax() {
    return _(R"(HOST, HOST:PORT or [IPv6]:PORT, with a port from 1 to 65535)");
}

}  // namespace exam
