#include "support/sntp_responder.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace exam::testing {

using namespace std::chrono;

void put_u32(NtpPacket& packet, std::size_t at, std::uint32_t value) {
    for (std::size_t i = 0; i < 4; ++i) {
        packet[at + 3 - i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

void put_u64(NtpPacket& packet, std::size_t at, std::uint64_t value) {
    for (std::size_t i = 0; i < 8; ++i) {
        packet[at + 7 - i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

std::uint64_t get_u64(const NtpPacket& packet, std::size_t at) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        value = (value << 8) | packet[at + i];
    }
    return value;
}

NtpPacket good_sntp_reply(const NtpPacket& request, system_clock::time_point server_time) {
    NtpPacket reply{};
    reply[0] = (0 << 6) | (4 << 3) | 4;         // no leap warning, version 4, server
    reply[1] = 1;                               // stratum
    reply[2] = 6;                               // poll
    reply[3] = static_cast<std::uint8_t>(-20);  // precision
    put_u32(reply, 4, 0x00000100);              // root delay: about 4 ms
    put_u32(reply, 8, 0x00000100);              // root dispersion
    put_u32(reply, 12, 0x54455354);             // reference id "TEST"
    put_u64(reply, 16, to_ntp_timestamp(server_time - seconds{16}));
    put_u64(reply, 24, get_u64(request, 40));  // originate: the client's transmit time
    put_u64(reply, 32, to_ntp_timestamp(server_time));
    put_u64(reply, 40, to_ntp_timestamp(server_time));
    return reply;
}

SntpResponder::SntpResponder(milliseconds skew, bool answer, bool stray_first)
    : m_skew(skew), m_answer(answer), m_stray_first(stray_first) {
    start();
}

SntpResponder::SntpResponder(Damage damage) : m_damage(std::move(damage)) {
    start();
}

// Last in each constructor: the thread reads the members set before it.
void SntpResponder::start() {
    m_fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { serve(); });
}

SntpResponder::~SntpResponder() {
    m_stop = true;
    ::shutdown(m_fd, SHUT_RDWR);
    m_thread.join();
    ::close(m_fd);
}

void SntpResponder::serve() {
    while (!m_stop) {
        pollfd waiting{m_fd, POLLIN, 0};
        if (::poll(&waiting, 1, 50) != 1) {
            continue;
        }
        NtpPacket request{};
        sockaddr_in from{};
        socklen_t length = sizeof from;
        if (::recvfrom(m_fd, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&from),
                       &length) != 48 ||
            !m_answer) {
            continue;
        }
        NtpPacket reply = good_sntp_reply(request, system_clock::now() + m_skew);
        if (m_damage) {
            m_damage(reply);
        }
        if (m_stray_first) {
            auto stray = reply;
            stray[31] ^= 0xff;  // another request's timestamp
            ::sendto(m_fd, stray.data(), stray.size(), 0, reinterpret_cast<sockaddr*>(&from),
                     length);
        }
        ::sendto(m_fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), length);
    }
}

}  // namespace exam::testing
