// RTP over UDP: the reorder window on crafted packets, then the receiver over real loopback
// sockets, a "camera" socket sending from its agreed port and a stranger from another.
#include <cstring>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "recording/rtp_over_udp.hpp"

namespace {

using namespace std::chrono_literals;
using exam::RtpOverUdp;
using exam::RtpReorderWindow;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t k_ssrc = 0x1A2B3C4D;

// An RTP packet (version 2, payload type 96) whose one payload byte is `mark`.
std::vector<std::uint8_t> rtp(int sequence, std::uint32_t ssrc = k_ssrc, std::uint8_t mark = 0) {
    return {0x80,
            96,
            static_cast<std::uint8_t>(sequence >> 8),
            static_cast<std::uint8_t>(sequence),
            0,
            0,
            0,
            0,
            static_cast<std::uint8_t>(ssrc >> 24),
            static_cast<std::uint8_t>(ssrc >> 16),
            static_cast<std::uint8_t>(ssrc >> 8),
            static_cast<std::uint8_t>(ssrc),
            mark};
}

std::uint16_t sequence_of(std::span<const std::uint8_t> packet) {
    return static_cast<std::uint16_t>((packet[2] << 8) | packet[3]);
}

// Every packet the window gives at `now`, by sequence number.
std::vector<std::uint16_t> drain(RtpReorderWindow& window, Clock::time_point now) {
    std::vector<std::uint16_t> given;
    while (const auto packet = window.pop(now)) {
        given.push_back(sequence_of(*packet));
    }
    return given;
}

TEST(RtpReorderWindow, PutsReorderedPacketsBackInOrderAndCountsNoLoss) {
    RtpReorderWindow window;
    const auto now = Clock::now();
    for (const int sequence : {10, 12, 11, 14, 13}) {
        window.push(rtp(sequence), now);
    }
    EXPECT_EQ(drain(window, now), (std::vector<std::uint16_t>{10, 11, 12, 13, 14}));
    EXPECT_EQ(window.take_lost(), 0u);
    EXPECT_FALSE(window.deadline());
}

TEST(RtpReorderWindow, AMissingPacketIsWaitedForUntilTheHoldThenCountedLost) {
    RtpReorderWindow window;
    const auto now = Clock::now();
    window.push(rtp(100), now);
    window.push(rtp(102), now);
    EXPECT_EQ(drain(window, now), (std::vector<std::uint16_t>{100}));
    ASSERT_TRUE(window.deadline());
    EXPECT_EQ(*window.deadline(), now + RtpReorderWindow::k_hold);
    EXPECT_TRUE(drain(window, now + 99ms).empty()) << "101 may still come";
    EXPECT_EQ(drain(window, now + 100ms), (std::vector<std::uint16_t>{102}));
    EXPECT_EQ(window.take_lost(), 1u);
    EXPECT_EQ(window.take_lost(), 0u) << "taken once";
    // 101 arriving now is too late: dropped, never given out of order.
    window.push(rtp(101), now + 120ms);
    EXPECT_TRUE(drain(window, now + 120ms).empty());
    EXPECT_EQ(window.late(), 1u);
}

TEST(RtpReorderWindow, LossIsCountedAcrossTheSixteenBitWrap) {
    RtpReorderWindow window;
    const auto now = Clock::now();
    for (const int sequence : {65533, 65534, 1, 2}) {  // 65535 and 0 lost
        window.push(rtp(sequence), now);
    }
    EXPECT_EQ(drain(window, now + 1s), (std::vector<std::uint16_t>{65533, 65534, 1, 2}));
    EXPECT_EQ(window.take_lost(), 2u);
    // A packet from before the wrap is behind, not 65,000 ahead.
    window.push(rtp(65535), now + 1s);
    EXPECT_TRUE(drain(window, now + 2s).empty());
    EXPECT_EQ(window.late(), 1u);
}

TEST(RtpReorderWindow, AFullWindowGivesUpOnTheMissingPacketWithoutWaiting) {
    RtpReorderWindow window;
    const auto now = Clock::now();
    window.push(rtp(0), now);
    EXPECT_EQ(drain(window, now).size(), 1u);
    // 1 never comes; 63 packets after it are held, the 64th releases them all.
    for (std::uint16_t sequence = 2; sequence < 2 + RtpReorderWindow::k_capacity - 1; ++sequence) {
        window.push(rtp(sequence), now);
    }
    EXPECT_TRUE(drain(window, now).empty());
    window.push(rtp(static_cast<std::uint16_t>(1 + RtpReorderWindow::k_capacity)), now);
    EXPECT_EQ(drain(window, now).size(), RtpReorderWindow::k_capacity);
    EXPECT_EQ(window.take_lost(), 1u);
}

TEST(RtpReorderWindow, APacketTwiceIsGivenOnce) {
    RtpReorderWindow window;
    const auto now = Clock::now();
    window.push(rtp(5), now);
    window.push(rtp(7), now);
    window.push(rtp(7), now);
    window.push(rtp(6), now);
    EXPECT_EQ(drain(window, now), (std::vector<std::uint16_t>{5, 6, 7}));
    EXPECT_EQ(window.late(), 1u);
}

TEST(TransportHeader, ServerPortsSsrcAndSourceAreRead) {
    const std::string reply =
        "RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971;ssrc=1a2B3c4D;"
        "source=192.168.1.20;mode=\"PLAY\"";
    const auto server = exam::transport_ports(reply, "server_port");
    ASSERT_TRUE(server);
    EXPECT_EQ(server->rtp, 6970);
    EXPECT_EQ(server->rtcp, 6971);
    EXPECT_EQ(exam::transport_ssrc(reply), k_ssrc);
    EXPECT_EQ(exam::transport_source(reply), "192.168.1.20");
    EXPECT_FALSE(exam::transport_ports("RTP/AVP;unicast", "server_port"));
    EXPECT_FALSE(exam::transport_ports("RTP/AVP;server_port=99999-2", "server_port"));
    EXPECT_EQ(exam::transport_ports("RTP/AVP;server_port=7000", "server_port")->rtcp, 7001);
    EXPECT_FALSE(exam::transport_ssrc("RTP/AVP;ssrc=123456789"));
    EXPECT_FALSE(exam::transport_ssrc("RTP/AVP;ssrc=XYZ"));
}

// A UDP socket on loopback, standing for the camera or for a stranger on the network.
class Sender {
public:
    Sender() {
        m_fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        socklen_t length = sizeof address;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
    }
    ~Sender() { ::close(m_fd); }
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;

    void send(const std::vector<std::uint8_t>& datagram, std::uint16_t port) const {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        to.sin_port = htons(port);
        ASSERT_EQ(::sendto(m_fd, datagram.data(), datagram.size(), 0,
                           reinterpret_cast<const sockaddr*>(&to), sizeof to),
                  static_cast<ssize_t>(datagram.size()));
    }
    [[nodiscard]] std::uint16_t port() const { return m_port; }

private:
    int m_fd = -1;
    std::uint16_t m_port = 0;
};

sockaddr_storage loopback(std::uint16_t port = 0) {
    sockaddr_storage storage{};
    auto& address = reinterpret_cast<sockaddr_in&>(storage);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    return storage;
}

class UdpReceiver : public ::testing::Test {
protected:
    void SetUp() override {
        m_ports = m_receiver.open_track(loopback());
        m_receiver.agree(0, loopback(), {m_camera_rtp.port(), m_camera_rtcp.port()}, k_ssrc);
    }

    // The RTP packets' sequence numbers received until `count` came or a second passed.
    std::vector<std::uint16_t> receive(std::size_t count) {
        std::vector<std::uint16_t> got;
        const auto until = Clock::now() + 1s;
        while (got.size() < count && Clock::now() < until) {
            if (const auto packet = m_receiver.next(100ms); packet && !packet->control) {
                got.push_back(sequence_of(packet->data));
            }
        }
        return got;
    }

    RtpOverUdp m_receiver;
    exam::UdpPortPair m_ports;
    Sender m_camera_rtp;
    Sender m_camera_rtcp;
};

TEST_F(UdpReceiver, PortsAreAnEvenOneAndTheNext) {
    EXPECT_EQ(m_ports.rtp % 2, 0);
    EXPECT_EQ(m_ports.rtcp, m_ports.rtp + 1);
}

TEST_F(UdpReceiver, TheCamerasPacketsArriveInOrderAndLossIsCounted) {
    for (const int sequence : {1, 3, 2, 4, 6}) {  // 5 lost
        m_camera_rtp.send(rtp(sequence), m_ports.rtp);
    }
    EXPECT_EQ(receive(5), (std::vector<std::uint16_t>{1, 2, 3, 4, 6}));
    EXPECT_EQ(m_receiver.take_lost(), 1u);
}

TEST_F(UdpReceiver, PacketsFromAnotherPortOrWithAnotherSsrcAreDroppedAndCounted) {
    const Sender stranger;
    m_camera_rtp.send(rtp(1), m_ports.rtp);
    stranger.send(rtp(2, k_ssrc, 0xEE), m_ports.rtp);        // the right SSRC, wrong port
    m_camera_rtp.send(rtp(2, 0xBADBAD, 0xEE), m_ports.rtp);  // the right port, wrong SSRC
    m_camera_rtcp.send(rtp(2, k_ssrc, 0xEE), m_ports.rtp);   // the camera's RTCP port
    m_camera_rtp.send({0x40, 96, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0}, m_ports.rtp);  // version 1
    m_camera_rtp.send(rtp(2), m_ports.rtp);
    std::vector<std::uint8_t> marks;
    const auto until = Clock::now() + 1s;
    while (marks.size() < 2 && Clock::now() < until) {
        if (const auto packet = m_receiver.next(100ms); packet && !packet->control) {
            marks.push_back(packet->data[12]);
        }
    }
    EXPECT_EQ(marks, (std::vector<std::uint8_t>{0, 0})) << "a stranger's packet got through";
    EXPECT_FALSE(m_receiver.next(150ms)) << "nothing else comes";
    const auto dropped = m_receiver.dropped();
    EXPECT_EQ(dropped.foreign, 2u);
    EXPECT_EQ(dropped.other_ssrc, 1u);
    EXPECT_EQ(dropped.malformed, 1u);
    EXPECT_EQ(m_receiver.take_lost(), 0u);
}

TEST_F(UdpReceiver, RtcpFromTheCamerasRtcpPortIsGivenAsControl) {
    // A sender report's header: version 2, PT 200, length 6, the sender's SSRC.
    std::vector<std::uint8_t> report{0x80, 200, 0, 6, 0x1A, 0x2B, 0x3C, 0x4D};
    report.resize(28);
    m_camera_rtcp.send(report, m_ports.rtcp);
    m_camera_rtp.send(report, m_ports.rtcp);  // the camera's address, but its RTP port
    const auto packet = m_receiver.next(1s);
    ASSERT_TRUE(packet);
    EXPECT_TRUE(packet->control);
    EXPECT_EQ(packet->data.size(), 28u);
    EXPECT_FALSE(m_receiver.next(150ms));
    EXPECT_EQ(m_receiver.dropped().foreign, 1u);
}

TEST(UdpReceiverSsrc, WithoutAnSsrcInTheReplyTheFirstPacketsIsKept) {
    RtpOverUdp receiver;
    const Sender camera;
    const auto ports = receiver.open_track(loopback());
    receiver.agree(0, loopback(), {camera.port(), 0}, std::nullopt);
    camera.send(rtp(1, 0x11111111), ports.rtp);
    camera.send(rtp(2, 0x22222222), ports.rtp);
    camera.send(rtp(3, 0x11111111), ports.rtp);
    std::vector<std::uint16_t> got;
    const auto until = Clock::now() + 1s;
    while (got.size() < 2 && Clock::now() < until) {
        if (const auto packet = receiver.next(100ms)) {
            got.push_back(sequence_of(packet->data));
        }
    }
    EXPECT_EQ(got, (std::vector<std::uint16_t>{1, 3}));
    EXPECT_EQ(receiver.dropped().other_ssrc, 1u);
}

}  // namespace
