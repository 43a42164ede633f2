// RtspConnection's side for cameras that offer RTP over UDP only (a SETUP asking for TCP gets
// 461 Unsupported transport): the tracks' datagrams come through RtpOverUdp, and the RTSP
// connection carries only the keep-alives and their replies.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <netdb.h>
#include <sys/socket.h>

#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "recording/rtsp_connection.hpp"

namespace exam {
namespace {

using Clock = std::chrono::steady_clock;
using Kind = RtspFailure::Kind;

// How long a wait for datagrams lasts before the stop flag and the watchdog are looked at.
constexpr std::chrono::milliseconds k_wake_every{200};
// RTCP receiver reports: RFC 3550's interval for a session's one receiver is about 5 s.
constexpr std::chrono::seconds k_report_every{5};

}  // namespace

RtspReply RtspConnection::set_up_over_udp(const std::string& url, const RtspReply& over_tcp) {
    if (over_tcp.status == 200) {
        // The camera set the stream up, but not over this connection: the same session again.
        m_session = parse_session_header(over_tcp.header("session"));
    }
    if (!m_udp) {
        m_udp = std::make_unique<RtpOverUdp>();
    }
    bool agreed = false;
    RtspReply reply = udp_setup(url, agreed);
    if (reply.status == 461 || (reply.status == 200 && !agreed)) {
        fail(Kind::failed,
             _rf("the camera offers neither RTP over TCP nor over UDP: it answered SETUP of {} "
                 "with \"{} {}\" over TCP and \"{} {}\" over UDP; set it to unicast RTSP "
                 "streaming (RTP over RTSP/TCP, or over UDP)",
                 without_password(url), over_tcp.status, for_terminal(over_tcp.reason),
                 reply.status, for_terminal(reply.reason)));
    }
    m_next_report = Clock::now();
    return reply;
}

RecordedText RtspConnection::set_up_audio_over_udp(const std::string& url) {
    bool agreed = false;
    const RtspReply reply = udp_setup(url, agreed);
    if (reply.status != 200) {
        return _rf("the camera refused to set it up: {} {}", reply.status,
                   for_terminal(reply.reason));
    }
    if (!agreed) {
        return _rf("the camera's Transport header is not RTP over UDP: \"{}\"",
                   for_terminal(reply.header("transport")));
    }
    return {};
}

RtspReply RtspConnection::udp_setup(const std::string& url, bool& agreed) {
    sockaddr_storage own{};
    socklen_t length = sizeof own;
    ::getsockname(m_socket, reinterpret_cast<sockaddr*>(&own), &length);
    UdpPortPair ports;
    try {
        // On the address the camera reached us at, so that its datagrams come where we listen.
        ports = m_udp->open_track(own);
    } catch (const UdpSetupFailure& failure) {
        fail(Kind::failed, failure.text());
    }
    RtspReply reply = request(
        "SETUP", url,
        fmt::format("Transport: RTP/AVP;unicast;client_port={}-{}\r\n", ports.rtp, ports.rtcp));
    const std::string transport = reply.header("transport");
    agreed = reply.status == 200 && transport.find("interleaved=") == std::string::npos;
    if (agreed) {
        m_udp->agree(m_udp->tracks() - 1, camera_address(transport),
                     transport_ports(transport, "server_port").value_or(UdpPortPair{}),
                     transport_ssrc(transport));
    } else {
        m_udp->forget_unagreed();
    }
    return reply;
}

sockaddr_storage RtspConnection::camera_address(const std::string& transport) const {
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    ::getpeername(m_socket, reinterpret_cast<sockaddr*>(&peer), &length);
    const std::string source = transport_source(transport);
    if (source.empty()) {
        return peer;
    }
    // A camera that sends from another address of its own says so (RFC 2326 12.39); only a
    // numeric address of the same family is taken, no name looked up.
    addrinfo hints{};
    hints.ai_family = peer.ss_family;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* found = nullptr;
    if (::getaddrinfo(source.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
        return peer;
    }
    sockaddr_storage named{};
    std::memcpy(&named, found->ai_addr, std::min<std::size_t>(found->ai_addrlen, sizeof named));
    ::freeaddrinfo(found);
    return named;
}

RtpPacket RtspConnection::next_udp_packet() {
    while (true) {
        if (m_stop.load()) {
            fail(Kind::stopped, _rf("recording stopped"));
        }
        const auto now = Clock::now();
        if (now >= m_next_keep_alive) {
            read_replies_between_packets();  // the last keep-alive's, before the next goes
        }
        if (now >= m_next_report) {
            m_udp->send_receiver_reports();
            m_next_report = now + k_report_every;
        }
        std::optional<RtpOverUdp::Packet> packet;
        try {
            packet = m_udp->next(k_wake_every);
        } catch (const UdpSetupFailure& failure) {
            fail(Kind::failed, failure.text());
        }
        if (packet) {
            // Tracks in the order they were set up: the video's first, then the sound's.
            const RtpTrack track = packet->track == 0 ? RtpTrack::video : RtpTrack::audio;
            if (track == RtpTrack::video && !packet->control) {
                m_last_packet = Clock::now();  // the watchdog watches the video's RTP
            }
            keep_alive_if_due();
            return {.track = track, .control = packet->control, .data = packet->data};
        }
        read_replies_between_packets();  // a camera gone silent may have said why
        check_silence();
    }
}

void RtspConnection::read_replies_between_packets() {
    do {
        while (m_end > m_begin) {
            if (m_buffer[m_begin] == '$') {
                // Interleaved data on a session set up over UDP: not ours to read, skipped.
                if (m_end - m_begin < 4 || m_end - m_begin < 4 + frame_length(m_begin)) {
                    break;
                }
                m_begin += 4 + frame_length(m_begin);
                continue;
            }
            const auto length = reply_length_at(
                m_begin, _rf("the camera's answer is not RTSP as this reader knows it"));
            if (!length) {
                break;
            }
            const RtspReply reply = reply_at(m_begin, *length);
            m_begin += *length;
            if (reply.status == 454) {
                fail(Kind::failed, _rf("the camera ended the session (it may have been "
                                       "restarted); connecting again"));
            }
        }
    } while (receive(MSG_DONTWAIT));
}

}  // namespace exam
