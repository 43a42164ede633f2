// A minimal SNTP (RFC 4330) client of our own: one request, the reply checked as RFC 4330
// section 5 asks (server mode, version 3 or 4, our own timestamp echoed back, a real stratum, no
// alarm, a reference time, root delay and dispersion from 0 to under a second, receive and
// transmit times that are not 0 and agree with our round trip), and the clock offset computed
// from the four timestamps.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

using NtpPacket = std::array<std::uint8_t, 48>;

// A client request whose transmit timestamp is `sent` (system clock).
EXAM_EXPORT NtpPacket make_sntp_request(std::chrono::system_clock::time_point sent);

struct SntpMeasurement {
    std::chrono::microseconds offset;  // server clock minus ours: positive means we are behind
    std::chrono::microseconds delay;   // the round trip, less the server's own processing
    int stratum = 0;
};

// Why there is no measurement, for code to act on (the problem's words are for people, and
// translated).
enum class SntpProblem {
    none,
    unresolvable,    // the server's name does not resolve
    unreachable,     // no socket, or connect/send failed
    no_answer,       // nothing within the timeout, or the receive failed
    malformed,       // not a 48-byte NTP packet, not from a server, or not version 3 or 4
    refused,         // kiss-of-death
    unsynchronised,  // the server's own clock is not synchronised, never was, or is too uncertain
    implausible,     // times of 0, or times that contradict each other or our round trip
    not_our_answer,  // a stray reply to someone else's request: keep waiting
};

// The reply to a request sent at `sent` and received at `received`; an error text when the
// reply is not a usable answer to it.
struct SntpOutcome {
    std::optional<SntpMeasurement> measurement;
    std::string problem;  // in words, for people
    SntpProblem reason = SntpProblem::none;
};
EXAM_EXPORT SntpOutcome read_sntp_reply(std::span<const std::uint8_t> reply,
                                        const NtpPacket& request,
                                        std::chrono::system_clock::time_point received);

// Queries `server` ("host" or "host:port", port 123 by default) within `timeout`.
EXAM_EXPORT SntpOutcome query_sntp(const std::string& server, std::chrono::milliseconds timeout);

// Converts between the system clock and NTP's 64-bit timestamps (seconds since 1900).
EXAM_EXPORT std::uint64_t to_ntp_timestamp(std::chrono::system_clock::time_point time);
EXAM_EXPORT std::chrono::system_clock::time_point from_ntp_timestamp(std::uint64_t timestamp);

// The system's own timezone name from /etc/timezone or the /etc/localtime link; nullopt when
// neither says.
EXAM_EXPORT std::optional<std::string> system_timezone_name();

}  // namespace exam
