#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <exam/precheck/sntp.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "precheck/check_values.hpp"

namespace exam {
namespace {

using namespace std::chrono;

// Seconds from 1900-01-01 (NTP's era 0) to 1970-01-01.
constexpr std::uint64_t k_unix_epoch_in_ntp = 2208988800ULL;

std::uint64_t read_u64(std::span<const std::uint8_t> bytes, std::size_t at) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        value = (value << 8) | bytes[at + i];
    }
    return value;
}

std::uint32_t read_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        value = (value << 8) | bytes[at + i];
    }
    return value;
}

void write_u64(NtpPacket& packet, std::size_t at, std::uint64_t value) {
    for (std::size_t i = 0; i < 8; ++i) {
        packet[at + 7 - i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

}  // namespace

std::uint64_t to_ntp_timestamp(system_clock::time_point time) {
    const auto since_unix = duration_cast<nanoseconds>(time.time_since_epoch());
    const auto whole = static_cast<std::uint64_t>(duration_cast<seconds>(since_unix).count());
    const auto fraction_ns = static_cast<std::uint64_t>(
        (since_unix - seconds{static_cast<std::int64_t>(whole)}).count());
    return ((whole + k_unix_epoch_in_ntp) << 32) | ((fraction_ns << 32) / 1000000000ULL);
}

system_clock::time_point from_ntp_timestamp(std::uint64_t timestamp) {
    const auto whole =
        static_cast<std::int64_t>(timestamp >> 32) - static_cast<std::int64_t>(k_unix_epoch_in_ntp);
    const auto fraction_ns =
        static_cast<std::int64_t>(((timestamp & 0xFFFFFFFFULL) * 1000000000ULL) >> 32);
    return system_clock::time_point{
        duration_cast<system_clock::duration>(seconds{whole} + nanoseconds{fraction_ns})};
}

NtpPacket make_sntp_request(system_clock::time_point sent) {
    NtpPacket packet{};
    packet[0] = (0 << 6) | (4 << 3) | 3;  // no leap warning, version 4, client mode
    write_u64(packet, 40, to_ntp_timestamp(sent));
    return packet;
}

SntpOutcome read_sntp_reply(std::span<const std::uint8_t> reply, const NtpPacket& request,
                            system_clock::time_point received) {
    // RFC 4330 section 5: what a client checks before it believes a reply.
    const auto unusable = [](std::string problem, SntpProblem reason) {
        return SntpOutcome{std::nullopt, std::move(problem), reason};
    };
    if (reply.size() < 48) {
        return unusable(_f("the reply has {} bytes, not the 48 of an NTP packet", reply.size()),
                        SntpProblem::malformed);
    }
    const int leap = reply[0] >> 6;
    const int version = (reply[0] >> 3) & 0x7;
    const int mode = reply[0] & 0x7;
    const int stratum = reply[1];
    if (mode != 4) {
        return unusable(_f("the reply is not from an NTP server (mode {})", mode),
                        SntpProblem::malformed);
    }
    if (version < 3 || version > 4) {
        return unusable(
            _f("the reply has NTP version {}; a server answers our version 4 request with 3 or 4",
               version),
            SntpProblem::malformed);
    }
    // Our transmit timestamp must come back as the originate timestamp, or this is not an
    // answer to our request.
    if (read_u64(reply, 24) != read_u64(request, 40)) {
        return unusable(
            _("the reply does not answer our request (its originate timestamp differs)"),
            SntpProblem::not_our_answer);
    }
    if (stratum == 0) {
        return unusable(_("the server refused to answer (a kiss-of-death reply)"),
                        SntpProblem::refused);
    }
    if (leap == 3 || stratum >= 16) {
        return unusable(_("the server's own clock is not synchronised"),
                        SntpProblem::unsynchronised);
    }
    if (read_u64(reply, 16) == 0) {
        return unusable(_("the server's clock has never been synchronised (its reference time "
                          "is 0)"),
                        SntpProblem::unsynchronised);
    }
    // Root delay (signed) and root dispersion (unsigned) are seconds in 16.16 fixed point;
    // RFC 4330 wants each from 0 to "a cozy number like one second": beyond it the server's
    // own source is long out of reach.
    const auto root_delay = static_cast<std::int32_t>(read_u32(reply, 4));
    const std::uint32_t root_dispersion = read_u32(reply, 8);
    constexpr std::uint32_t k_one_second = 1U << 16;
    if (root_delay < 0 || static_cast<std::uint32_t>(root_delay) >= k_one_second ||
        root_dispersion >= k_one_second) {
        return unusable(
            _f("the server's distance from its reference is too uncertain (root delay {:.3f} s, "
               "root dispersion {:.3f} s; each must be from 0 to under 1 s)",
               static_cast<double>(root_delay) / k_one_second,
               static_cast<double>(root_dispersion) / k_one_second),
            SntpProblem::unsynchronised);
    }
    const std::uint64_t server_received = read_u64(reply, 32);
    const std::uint64_t server_sent = read_u64(reply, 40);
    if (server_sent == 0 || server_received == 0) {
        return unusable(_("the reply has no time in it (a receive or transmit timestamp of 0); "
                          "RFC 4330 says to discard such a reply"),
                        SntpProblem::implausible);
    }
    const auto t1 = from_ntp_timestamp(read_u64(request, 40));
    const auto t2 = from_ntp_timestamp(server_received);
    const auto t3 = from_ntp_timestamp(server_sent);
    const auto t4 = received;
    // The server's time between receiving and answering is part of our round trip: it can be
    // neither negative nor longer than the whole trip (a little slack for the two clocks'
    // rates and the timestamps' rounding).
    constexpr auto k_slack = milliseconds{5};
    const auto serving = t3 - t2;
    if (serving < nanoseconds{0} || serving > (t4 - t1) + k_slack) {
        return unusable(
            _f("the reply's times contradict each other: the server says it answered {} after "
               "receiving, in a round trip that took {}",
               format_duration(duration_cast<milliseconds>(serving)),
               format_duration(duration_cast<milliseconds>(t4 - t1))),
            SntpProblem::implausible);
    }
    const auto offset = duration_cast<microseconds>(((t2 - t1) + (t3 - t4)) / 2);
    const auto delay = duration_cast<microseconds>((t4 - t1) - (t3 - t2));
    return {SntpMeasurement{offset, delay, stratum}, {}, SntpProblem::none};
}

SntpOutcome query_sntp(const std::string& server, milliseconds timeout) {
    const auto address = parse_host_optional_port(server, "123");
    if (!address) {
        return {std::nullopt,
                _f("\"{}\" is not an NTP server as HOST, HOST:PORT, [IPv6] or [IPv6]:PORT",
                   for_terminal(server)),
                SntpProblem::unresolvable};
    }
    const std::string& host = address->host;
    const std::string& port = address->port;
    addrinfo hints{};
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* addresses = nullptr;
    if (const int code = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &addresses); code != 0) {
        return {std::nullopt, _f("cannot resolve {}: {}", host, ::gai_strerror(code)),
                SntpProblem::unresolvable};
    }
    const int fd = ::socket(addresses->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, addresses->ai_addr, addresses->ai_addrlen) != 0) {
        const std::string reason = std::strerror(errno);
        ::freeaddrinfo(addresses);
        if (fd >= 0) {
            ::close(fd);
        }
        return {std::nullopt, _f("cannot reach {}: {}", server, reason), SntpProblem::unreachable};
    }
    ::freeaddrinfo(addresses);
    const NtpPacket request = make_sntp_request(system_clock::now());
    if (::send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        return {std::nullopt, _f("cannot send to {}: {}", server, reason),
                SntpProblem::unreachable};
    }
    const auto deadline = steady_clock::now() + timeout;
    std::array<std::uint8_t, 512> reply{};
    while (true) {
        const auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
        pollfd waiting{fd, POLLIN, 0};
        if (left <= 0 || ::poll(&waiting, 1, static_cast<int>(left)) != 1) {
            ::close(fd);
            return {std::nullopt,
                    _f("{} did not answer within {}", server, format_duration(timeout)),
                    SntpProblem::no_answer};
        }
        const ssize_t got = ::recv(fd, reply.data(), reply.size(), 0);
        const auto received = system_clock::now();
        if (got < 0) {
            const std::string reason = std::strerror(errno);
            ::close(fd);
            return {std::nullopt, _f("no answer from {}: {}", server, reason),
                    SntpProblem::no_answer};
        }
        SntpOutcome outcome = read_sntp_reply(
            std::span{reply.data(), static_cast<std::size_t>(got)}, request, received);
        // A stray datagram that answers someone else is ignored; anything else decides.
        if (outcome.reason != SntpProblem::not_our_answer) {
            ::close(fd);
            return outcome;
        }
    }
}

std::optional<std::string> system_timezone_name() {
    std::ifstream file("/etc/timezone");
    std::string name;
    if (std::getline(file, name) && !name.empty()) {
        return name;
    }
    std::error_code error;
    const auto target = std::filesystem::read_symlink("/etc/localtime", error);
    if (!error) {
        const std::string text = target.string();
        const auto at = text.find("zoneinfo/");
        if (at != std::string::npos) {
            return text.substr(at + 9);
        }
    }
    return std::nullopt;
}

}  // namespace exam
