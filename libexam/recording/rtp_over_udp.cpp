#include "recording/rtp_over_udp.hpp"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <exam/util/translate.hpp>

#include "recording/camera_limits.hpp"
#include "recording/rtp_packet.hpp"

namespace exam {
namespace {

// Datagrams taken per recvmmsg, and the largest kept: cameras send RTP within their network's
// MTU (1,500 bytes, 9,000 with jumbo frames); a longer one is cut by the kernel and dropped.
constexpr std::size_t k_batch = 16;
constexpr std::size_t k_largest_datagram = 9000;
// A socket's receive buffer: a 1080p keyframe (a few hundred KB) arrives in one burst, more
// than the kernel's default of about 200 KB holds while the thread is busy writing.
constexpr int k_receive_buffer = 2 * 1024 * 1024;
// RTCP held between two calls of next(): a camera sends a few a second.
constexpr std::size_t k_most_control_held = 16;
// Attempts to find an even port whose odd neighbour is free too.
constexpr int k_port_attempts = 64;

std::string system_error_text(int code) {
    return std::error_code{code, std::generic_category()}.message();
}

std::uint16_t port_of(const sockaddr_storage& address) {
    if (address.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
    }
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
}

void set_port(sockaddr_storage& address, std::uint16_t port) {
    if (address.ss_family == AF_INET6) {
        reinterpret_cast<sockaddr_in6&>(address).sin6_port = htons(port);
    } else {
        reinterpret_cast<sockaddr_in&>(address).sin_port = htons(port);
    }
}

socklen_t length_of(const sockaddr_storage& address) {
    return address.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
}

bool same_host(const sockaddr_storage& a, const sockaddr_storage& b) {
    if (a.ss_family != b.ss_family) {
        return false;
    }
    if (a.ss_family == AF_INET6) {
        return std::memcmp(&reinterpret_cast<const sockaddr_in6&>(a).sin6_addr,
                           &reinterpret_cast<const sockaddr_in6&>(b).sin6_addr,
                           sizeof(in6_addr)) == 0;
    }
    return reinterpret_cast<const sockaddr_in&>(a).sin_addr.s_addr ==
           reinterpret_cast<const sockaddr_in&>(b).sin_addr.s_addr;
}

// A datagram socket bound on `local`'s address at `port` (0: any); -1 and the system's error
// number in `problem` when not.
int bound_socket(sockaddr_storage local, std::uint16_t port, int& problem) {
    const int fd = ::socket(local.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        problem = errno;
        return -1;
    }
    set_port(local, port);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), length_of(local)) != 0) {
        problem = errno;
        ::close(fd);
        return -1;
    }
    const int size = k_receive_buffer;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    return fd;
}

std::uint16_t bound_port(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return port_of(address);
}

// The value of `name=` among the Transport header's parameters, "" when absent.
std::string_view transport_parameter(std::string_view transport, std::string_view name) {
    std::size_t at = 0;
    while (at <= transport.size()) {
        const std::size_t end = std::min(transport.find(';', at), transport.size());
        const std::string_view parameter = transport.substr(at, end - at);
        if (parameter.size() > name.size() && parameter.starts_with(name) &&
            parameter[name.size()] == '=') {
            return parameter.substr(name.size() + 1);
        }
        at = end + 1;
    }
    return {};
}

}  // namespace

// --- the reorder window ---

int RtpReorderWindow::distance(std::uint16_t sequence) const {
    // Sequence numbers wrap at 2^16: the step is taken modulo, as a signed 16-bit number.
    return static_cast<std::int16_t>(static_cast<std::uint16_t>(sequence - *m_next));
}

void RtpReorderWindow::push(std::span<const std::uint8_t> packet, Clock::time_point now) {
    const std::uint16_t sequence = read_u16(packet.data() + 2);
    if (!m_next) {
        m_next = sequence;
    }
    const int ahead = distance(sequence);
    const auto place = std::find_if(m_held.begin(), m_held.end(), [&](const Held& held) {
        return distance(held.sequence) >= ahead;
    });
    if (ahead < 0 || (place != m_held.end() && place->sequence == sequence)) {
        ++m_late;  // its turn was given up already, or it came twice
        return;
    }
    Held held{.sequence = sequence, .arrived = now, .bytes = {}};
    if (!m_spare.empty()) {
        held.bytes = std::move(m_spare.back());
        m_spare.pop_back();
    }
    held.bytes.assign(packet.begin(), packet.end());
    m_held.insert(place, std::move(held));
}

std::optional<std::span<const std::uint8_t>> RtpReorderWindow::pop(Clock::time_point now) {
    if (m_held.empty()) {
        return std::nullopt;
    }
    const Held& first = m_held.front();
    if (first.sequence != *m_next) {
        const auto waited_longest =
            std::min_element(m_held.begin(), m_held.end(),
                             [](const Held& a, const Held& b) { return a.arrived < b.arrived; });
        if (m_held.size() < k_capacity && distance(first.sequence) < int{k_capacity} &&
            now - waited_longest->arrived < k_hold) {
            return std::nullopt;  // what is missing may still come
        }
        m_lost += static_cast<std::uint64_t>(distance(first.sequence));
    }
    m_next = static_cast<std::uint16_t>(first.sequence + 1);
    m_spare.push_back(std::move(m_given));
    m_given = std::move(m_held.front().bytes);
    m_held.erase(m_held.begin());
    return std::span<const std::uint8_t>{m_given};
}

std::optional<RtpReorderWindow::Clock::time_point> RtpReorderWindow::deadline() const {
    if (m_held.empty()) {
        return std::nullopt;
    }
    if (m_held.front().sequence == *m_next) {
        return Clock::time_point::min();  // due now
    }
    const auto waited_longest =
        std::min_element(m_held.begin(), m_held.end(),
                         [](const Held& a, const Held& b) { return a.arrived < b.arrived; });
    return waited_longest->arrived + k_hold;
}

std::uint64_t RtpReorderWindow::take_lost() {
    return std::exchange(m_lost, 0);
}

// --- the Transport header ---

std::optional<UdpPortPair> transport_ports(std::string_view transport, std::string_view name) {
    const std::string_view value = transport_parameter(transport, name);
    const std::size_t dash = value.find('-');
    const auto first = parse_camera_number<std::uint16_t>(value.substr(0, dash));
    if (!first || *first == 0) {
        return std::nullopt;
    }
    if (dash == std::string_view::npos) {
        if (*first == 65535) {
            return std::nullopt;
        }
        return UdpPortPair{*first, static_cast<std::uint16_t>(*first + 1)};
    }
    const auto second = parse_camera_number<std::uint16_t>(value.substr(dash + 1));
    if (!second || *second == 0) {
        return std::nullopt;
    }
    return UdpPortPair{*first, *second};
}

std::optional<std::uint32_t> transport_ssrc(std::string_view transport) {
    const std::string_view value = transport_parameter(transport, "ssrc");
    if (value.empty() || value.size() > 8) {
        return std::nullopt;
    }
    std::uint32_t ssrc = 0;
    for (const char digit : value) {
        const char lower = static_cast<char>(digit | 0x20);
        if (digit >= '0' && digit <= '9') {
            ssrc = ssrc * 16 + static_cast<std::uint32_t>(digit - '0');
        } else if (lower >= 'a' && lower <= 'f') {
            ssrc = ssrc * 16 + static_cast<std::uint32_t>(lower - 'a' + 10);
        } else {
            return std::nullopt;
        }
    }
    return ssrc;
}

std::string transport_source(std::string_view transport) {
    return std::string{transport_parameter(transport, "source")};
}

// --- the sockets ---

RtpOverUdp::~RtpOverUdp() {
    for (const Track& track : m_tracks) {
        ::close(track.rtp_socket);
        ::close(track.rtcp_socket);
    }
}

UdpPortPair RtpOverUdp::open_track(const sockaddr_storage& local) {
    int problem = 0;
    for (int attempt = 0; attempt < k_port_attempts; ++attempt) {
        const int rtp = bound_socket(local, 0, problem);
        if (rtp < 0) {
            break;
        }
        const std::uint16_t port = bound_port(rtp);
        // RTP on an even port, RTCP on the next (RFC 3550 11): some cameras insist.
        const int rtcp = port % 2 == 0 && port < 65535
                             ? bound_socket(local, static_cast<std::uint16_t>(port + 1), problem)
                             : -1;
        if (rtcp < 0) {
            ::close(rtp);
            continue;
        }
        Track& track = m_tracks.emplace_back();
        track.rtp_socket = rtp;
        track.rtcp_socket = rtcp;
        track.local = {port, static_cast<std::uint16_t>(port + 1)};
        return track.local;
    }
    throw UdpSetupFailure(_rf("cannot open two neighbouring UDP ports for RTP and RTCP: {}",
                              problem == 0 ? std::string{"no even port with a free odd one"}
                                           : system_error_text(problem)));
}

void RtpOverUdp::agree(std::size_t track, const sockaddr_storage& camera, UdpPortPair server,
                       std::optional<std::uint32_t> ssrc) {
    Track& agreed = m_tracks.at(track);
    agreed.agreed = true;
    agreed.camera = camera;
    agreed.server = server;
    agreed.ssrc = ssrc;
    if (m_batch.empty()) {
        m_batch.resize(k_batch * k_largest_datagram);
    }
}

void RtpOverUdp::forget_unagreed() {
    for (Track& track : m_tracks) {
        if (!track.agreed) {
            ::close(track.rtp_socket);
            ::close(track.rtcp_socket);
        }
    }
    std::erase_if(m_tracks, [](const Track& track) { return !track.agreed; });
}

std::optional<RtpOverUdp::Packet> RtpOverUdp::ready(Clock::time_point now) {
    if (!m_control.empty()) {
        auto& [track, bytes] = m_control.front();
        const std::size_t from = track;
        m_control_given.swap(bytes);
        m_control.erase(m_control.begin());
        return Packet{.track = from, .control = true, .data = m_control_given};
    }
    for (std::size_t i = 0; i < m_tracks.size(); ++i) {
        if (const auto packet = m_tracks[i].window.pop(now)) {
            return Packet{.track = i, .control = false, .data = *packet};
        }
    }
    return std::nullopt;
}

std::optional<RtpOverUdp::Packet> RtpOverUdp::next(std::chrono::milliseconds wait) {
    const auto until = Clock::now() + wait;
    std::array<pollfd, 8> watched{};
    const std::size_t sockets = std::min(m_tracks.size() * 2, watched.size());
    while (true) {
        const auto now = Clock::now();
        if (auto packet = ready(now)) {
            return packet;
        }
        if (now >= until) {
            return std::nullopt;
        }
        auto wake = until;
        for (const Track& track : m_tracks) {
            if (const auto due = track.window.deadline()) {
                wake = std::min(wake, *due);
            }
        }
        for (std::size_t i = 0; i < sockets; ++i) {
            const Track& track = m_tracks[i / 2];
            watched[i] = {.fd = i % 2 == 0 ? track.rtp_socket : track.rtcp_socket,
                          .events = POLLIN,
                          .revents = 0};
        }
        // Rounded up: a wake a millisecond early would only poll again.
        const auto timeout = std::chrono::ceil<std::chrono::milliseconds>(
            std::max(wake - now, Clock::duration::zero()));
        const int woken = ::poll(watched.data(), sockets, static_cast<int>(timeout.count()));
        if (woken < 0 && errno != EINTR) {
            const int error = errno;
            throw UdpSetupFailure(
                _rf("cannot wait for the camera's packets: {}", system_error_text(error)));
        }
        for (std::size_t i = 0; woken > 0 && i < sockets; ++i) {
            if ((watched[i].revents & POLLIN) != 0) {
                receive(i / 2, i % 2 == 1);
            }
        }
    }
}

void RtpOverUdp::receive(std::size_t track_index, bool control) {
    Track& track = m_tracks[track_index];
    const int fd = control ? track.rtcp_socket : track.rtp_socket;
    std::array<mmsghdr, k_batch> messages{};
    std::array<iovec, k_batch> slots{};
    std::array<sockaddr_storage, k_batch> senders{};
    while (true) {
        for (std::size_t i = 0; i < k_batch; ++i) {
            slots[i] = {.iov_base = m_batch.data() + i * k_largest_datagram,
                        .iov_len = k_largest_datagram};
            messages[i] = {};
            messages[i].msg_hdr.msg_name = &senders[i];
            messages[i].msg_hdr.msg_namelen = sizeof senders[i];
            messages[i].msg_hdr.msg_iov = &slots[i];
            messages[i].msg_hdr.msg_iovlen = 1;
        }
        const int got = ::recvmmsg(fd, messages.data(), k_batch, MSG_DONTWAIT, nullptr);
        if (got <= 0) {
            return;  // nothing more waiting (or an ICMP error queued: the next read goes on)
        }
        const auto now = Clock::now();
        for (std::size_t i = 0; i < static_cast<std::size_t>(got); ++i) {
            const std::span<const std::uint8_t> datagram{m_batch.data() + i * k_largest_datagram,
                                                         messages[i].msg_len};
            if ((messages[i].msg_hdr.msg_flags & MSG_TRUNC) != 0) {
                ++m_dropped.malformed;
                continue;
            }
            if (!accept(track, control, senders[i], datagram)) {
                continue;
            }
            if (!control) {
                track.window.push(datagram, now);
            } else if (m_control.size() < k_most_control_held) {
                m_control.emplace_back(track_index,
                                       std::vector<std::uint8_t>(datagram.begin(), datagram.end()));
            }
        }
        if (static_cast<std::size_t>(got) < k_batch) {
            return;
        }
    }
}

bool RtpOverUdp::accept(Track& track, bool control, const sockaddr_storage& from,
                        std::span<const std::uint8_t> datagram) {
    // Only the camera, from the ports it agreed: anyone else on the network is dropped.
    std::uint16_t& port = control ? track.server.rtcp : track.server.rtp;
    if (!track.agreed || !same_host(from, track.camera) || (port != 0 && port_of(from) != port)) {
        ++m_dropped.foreign;
        return false;
    }
    const std::size_t shortest = control ? 8 : 12;
    if (datagram.size() < shortest || (datagram[0] >> 6) != 2) {
        ++m_dropped.malformed;
        return false;
    }
    // RTP's SSRC is at byte 8; an RTCP report's sender's at byte 4.
    const std::uint32_t ssrc = read_u32(datagram.data() + (control ? 4 : 8));
    if (!track.ssrc && !control) {
        track.ssrc = ssrc;  // the reply named none: the first packet's, from the camera
    }
    if (!track.ssrc || ssrc != *track.ssrc) {
        ++m_dropped.other_ssrc;
        return false;
    }
    if (port == 0) {
        port = port_of(from);  // the reply named no port: the first from the camera's address
    }
    return true;
}

void RtpOverUdp::send_receiver_reports() {
    for (const Track& track : m_tracks) {
        if (!track.agreed || track.server.rtcp == 0) {
            continue;
        }
        // An empty receiver report and the SDES with our CNAME, the compound RFC 3550 6.1
        // asks for; our SSRC is made of our port, unique enough among one camera's receivers.
        const std::uint32_t own = 0x4578'0000U | track.local.rtp;
        const std::uint8_t ssrc[4] = {
            static_cast<std::uint8_t>(own >> 24), static_cast<std::uint8_t>(own >> 16),
            static_cast<std::uint8_t>(own >> 8), static_cast<std::uint8_t>(own)};
        std::array<std::uint8_t, 28> report{0x80,    201,     0,   1,   ssrc[0], ssrc[1], ssrc[2],
                                            ssrc[3], 0x81,    202, 0,   4,       ssrc[0], ssrc[1],
                                            ssrc[2], ssrc[3], 1,   7,   'e',     'x',     'a',
                                            'm',     'k',     'i', 't', 0,       0,       0};
        sockaddr_storage to = track.camera;
        set_port(to, track.server.rtcp);
        ::sendto(track.rtcp_socket, report.data(), report.size(), MSG_DONTWAIT,
                 reinterpret_cast<const sockaddr*>(&to), length_of(to));
    }
}

std::uint64_t RtpOverUdp::take_lost() {
    std::uint64_t lost = 0;
    for (Track& track : m_tracks) {
        lost += track.window.take_lost();
    }
    return lost;
}

RtpOverUdp::Dropped RtpOverUdp::dropped() const {
    Dropped dropped = m_dropped;
    for (const Track& track : m_tracks) {
        dropped.late += track.window.late();
    }
    return dropped;
}

}  // namespace exam
