// RTP and RTCP over UDP (RFC 3550, RFC 2326 12.39), for cameras that offer nothing else: a pair
// of sockets per track, the datagrams taken only from the camera, its agreed ports and its
// SSRC (anything else is counted and dropped: nobody on the network may slip pictures into
// evidence), put back in sequence order within a small window, and the packets the network
// lost counted by their sequence numbers. Pure sockets, no FFmpeg; one poll over every socket
// and recvmmsg for what has arrived, so that a camera's thread wakes once per batch.
// Private to libexam-recording.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <sys/socket.h>

#include <exam/util/recorded_text.hpp>

namespace exam {

// Puts one track's RTP packets back in sequence order. A packet waits for those before it
// until the window holds `capacity` packets or it has waited `hold`; the ones still missing
// then are lost. Packets behind the sequence already given (late, or twice) are dropped.
class RtpReorderWindow {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t k_capacity = 64;
    static constexpr std::chrono::milliseconds k_hold{100};

    // Copies `packet` (an RTP packet of at least 12 bytes) that arrived at `now`.
    void push(std::span<const std::uint8_t> packet, Clock::time_point now);
    // The next packet in order, when it is here or waiting longer is no use; valid until the
    // next call of push or pop.
    std::optional<std::span<const std::uint8_t>> pop(Clock::time_point now);
    // When pop will give a packet without another arriving; nullopt when none is held.
    [[nodiscard]] std::optional<Clock::time_point> deadline() const;

    // Packets missing from the sequence, taken since the last call.
    std::uint64_t take_lost();
    [[nodiscard]] std::uint64_t late() const { return m_late; }

private:
    struct Held {
        std::uint16_t sequence = 0;
        Clock::time_point arrived;
        std::vector<std::uint8_t> bytes;
    };
    [[nodiscard]] int distance(std::uint16_t sequence) const;

    std::optional<std::uint16_t> m_next;             // the sequence number of the packet due next
    std::vector<Held> m_held;                        // by distance from m_next, nearest first
    std::vector<std::vector<std::uint8_t>> m_spare;  // buffers to reuse, not allocate
    std::vector<std::uint8_t> m_given;               // the packet pop gave last
    std::uint64_t m_lost = 0;
    std::uint64_t m_late = 0;
};

// The ports of one track: RTP on an even port, RTCP on the next.
struct UdpPortPair {
    std::uint16_t rtp = 0;
    std::uint16_t rtcp = 0;
};

// Transport header parameters (RFC 2326 12.39): "server_port=6970-6971" -> {6970, 6971};
// nullopt when absent or not two ports (a single port means RTCP on the next one).
std::optional<UdpPortPair> transport_ports(std::string_view transport, std::string_view name);
// "ssrc=1A2B3C4D" -> 0x1A2B3C4D; nullopt when absent or not up to 8 hex digits.
std::optional<std::uint32_t> transport_ssrc(std::string_view transport);
// "source=192.168.1.20" -> "192.168.1.20"; "" when absent.
std::string transport_source(std::string_view transport);

class UdpSetupFailure : public std::runtime_error {
public:
    explicit UdpSetupFailure(const RecordedText& text)
        : std::runtime_error(text.shown), m_recorded(text.recorded) {}
    [[nodiscard]] RecordedText text() const { return {m_recorded, what()}; }

private:
    std::string m_recorded;
};

class RtpOverUdp {
public:
    using Clock = std::chrono::steady_clock;
    struct Packet {
        std::size_t track = 0;  // in the order open_track gave them
        bool control = false;   // RTCP
        std::span<const std::uint8_t> data;
    };
    // What was dropped, for the terminal and the tests.
    struct Dropped {
        std::uint64_t foreign = 0;  // from another address or port than agreed
        std::uint64_t other_ssrc = 0;
        std::uint64_t malformed = 0;  // not RTP version 2, too short or too long
        std::uint64_t late = 0;       // behind the sequence already given, or twice
    };

    RtpOverUdp() = default;
    ~RtpOverUdp();
    RtpOverUdp(const RtpOverUdp&) = delete;
    RtpOverUdp& operator=(const RtpOverUdp&) = delete;

    // Binds a new track's RTP and RTCP sockets on `local`'s address (the RTSP connection's own,
    // so that the camera sends where it is reachable), on an even ephemeral port and the next.
    // Throws UdpSetupFailure.
    UdpPortPair open_track(const sockaddr_storage& local);
    // What the camera agreed in the track's SETUP: where it sends from (its address and
    // ports; 0 ports when the reply named none: the first datagram's port is then taken) and
    // its SSRC (nullopt: the first RTP packet's).
    void agree(std::size_t track, const sockaddr_storage& camera, UdpPortPair server,
               std::optional<std::uint32_t> ssrc);
    // Tracks opened but not agreed (a SETUP refused) are closed.
    void forget_unagreed();

    // The next packet, RTP in sequence order, RTCP as it came; nullopt when nothing came
    // within `wait`. Valid until the next call.
    std::optional<Packet> next(std::chrono::milliseconds wait);
    // Sends each track's camera an empty RTCP receiver report, as RFC 3550 has receivers do
    // (some cameras end a session whose receiver sends none; firewalls keep the path open).
    void send_receiver_reports();

    // Packets the network lost on every track since the last call.
    std::uint64_t take_lost();
    [[nodiscard]] Dropped dropped() const;
    [[nodiscard]] std::size_t tracks() const { return m_tracks.size(); }

private:
    struct Track {
        int rtp_socket = -1;
        int rtcp_socket = -1;
        UdpPortPair local;
        bool agreed = false;
        sockaddr_storage camera{};
        UdpPortPair server;
        std::optional<std::uint32_t> ssrc;
        RtpReorderWindow window;
    };
    // Reads what is waiting on one socket; RTP into its track's window, RTCP into m_control.
    void receive(std::size_t track, bool control);
    [[nodiscard]] bool accept(Track& track, bool control, const sockaddr_storage& from,
                              std::span<const std::uint8_t> datagram);
    std::optional<Packet> ready(Clock::time_point now);

    std::vector<Track> m_tracks;
    // RTCP accepted but not given yet (a few a second), and the one given last.
    std::vector<std::pair<std::size_t, std::vector<std::uint8_t>>> m_control;
    std::vector<std::uint8_t> m_control_given;
    std::vector<std::uint8_t> m_batch;  // recvmmsg's buffers, one slot per datagram
    Dropped m_dropped;
};

}  // namespace exam
