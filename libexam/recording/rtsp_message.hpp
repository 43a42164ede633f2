// The text side of RTSP 1.0 (RFC 2326) as a camera speaks it: the address with its
// credentials taken out, the replies' status and headers, and the answer to a camera's
// Basic or Digest challenge (RFC 2617, as RTSP cameras use it).
// Private to libexam-recording; no sockets here, so that it is tested on text.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace exam {

struct RtspAddress {
    std::string host;  // without brackets for IPv6
    std::string port = "554";
    std::string user;
    std::string password;
    std::string url;  // what goes into requests: rtsp://host:port/path, no credentials
};

// nullopt when `uri` is not rtsp://HOST[:PORT][/PATH] (with optional USER[:PASSWORD]@).
std::optional<RtspAddress> parse_rtsp_address(const std::string& uri);

struct RtspReply {
    int status = 0;
    std::string reason;
    std::multimap<std::string, std::string> headers;  // names in lower case
    std::string body;

    // The first header of that (lower-case) name, or "".
    [[nodiscard]] std::string header(const std::string& name) const;
};

// A reply whose head or body is longer than any camera's (camera_limits.hpp): a camera gone
// wrong, not a protocol this reader lacks.
class RtspReplyTooLong : public std::length_error {
public:
    using std::length_error::length_error;
};

// The length of the complete reply at the start of `buffer` (head and body), or nullopt
// while more is needed. Throws std::invalid_argument when the head is not an RTSP reply,
// RtspReplyTooLong when its head or its Content-Length passes the limits.
std::optional<std::size_t> rtsp_reply_length(std::string_view buffer);
// Throws std::invalid_argument when the status line is not "RTSP/x.y NNN reason" with a
// status from 100 to 599.
RtspReply parse_rtsp_reply(std::string_view message);

// "Session: 4A3F;timeout=60" -> id and timeout (60 s when not given or not a number), the
// timeout held within k_shortest_session_timeout and k_longest_session_timeout.
struct RtspSession {
    std::string id;
    std::chrono::seconds timeout{60};
};
RtspSession parse_session_header(const std::string& value);

// Remembers the camera's challenge and writes the Authorization header for each request.
class RtspAuthenticator {
public:
    RtspAuthenticator(std::string user, std::string password)
        : m_user(std::move(user)), m_password(std::move(password)) {}

    // Takes the WWW-Authenticate headers of a 401; false when none is a scheme we speak
    // (Digest with MD5, or Basic) or there are no credentials to answer with.
    bool accept_challenge(const RtspReply& reply);
    // "" before any challenge.
    [[nodiscard]] std::string authorization(const std::string& method,
                                            const std::string& url) const;

private:
    std::string m_user;
    std::string m_password;
    enum class Scheme { none, basic, digest } m_scheme = Scheme::none;
    std::string m_realm;
    std::string m_nonce;
    std::string m_opaque;
    bool m_qop_auth = false;
    mutable unsigned m_nonce_count = 0;
};

}  // namespace exam
