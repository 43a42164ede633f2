// A network address written as people write it in a configuration file: "HOST", "HOST:PORT",
// "[IPv6]" or "[IPv6]:PORT". One reading for every address examkit takes from a file (a camera's
// host, the site's NTP server, a suite's tcp, http, clock and printer addresses), done by hand so
// that a long or hostile value costs nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

struct HostPort {
    std::string host;  // without the brackets of an IPv6 address
    std::string port;  // digits, 1-65535
};

// "HOST:PORT" or "[IPv6]:PORT", the port from 1 to 65535. A host is a name or IPv4 address
// (letters, digits, '.', '-', '_', at most 253) or an IPv6 address in brackets.
EXAM_EXPORT std::optional<HostPort> parse_host_port(std::string_view address);
// The same with the port optional: `default_port` when none is written.
EXAM_EXPORT std::optional<HostPort> parse_host_optional_port(std::string_view address,
                                                             std::string_view default_port);

// What the two accept, for messages.
// What a value must look like, for an error message, in the user's language.
EXAM_EXPORT std::string host_port_syntax();

}  // namespace exam
