// One RTSP session with a camera over TCP, its RTP interleaved on the same connection
// (RFC 2326 10.12), or over UDP when the camera offers nothing else (rtp_over_udp.hpp):
// DESCRIBE, SETUP and PLAY, then the video's RTP packets one by one, with the keep-alive the
// session's timeout asks for.
//
// Why our own and not libavformat's: FFmpeg's reader takes each interleaved packet in three
// unbuffered reads, each after a poll(), about 2,000 system calls a second per 1080p camera;
// this one asks the kernel to wake it when 32 KB have arrived (SO_RCVLOWAT) and takes them in
// one read, which on 60 cameras is the difference between half a core and a few per cent.
// Private to libexam-recording.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <exam/util/recorded_text.hpp>

#include "recording/rtp_over_udp.hpp"
#include "recording/rtsp_message.hpp"
#include "recording/session_description.hpp"

namespace exam {

// Why a session ended or could not start: what() for people, text() also for the records (the
// recordings' index keeps it as a gap's reason).
class RtspFailure : public std::runtime_error {
public:
    enum class Kind {
        unsupported,  // a camera this reader does not speak to: libavformat takes over
        failed,       // refused, closed, broke
        silent,       // nothing came within the answer timeout
        stopped,      // the recording was stopped
    };
    RtspFailure(Kind kind, const RecordedText& text)
        : std::runtime_error(text.shown), m_kind(kind), m_recorded(text.recorded) {}
    [[nodiscard]] Kind kind() const noexcept { return m_kind; }
    [[nodiscard]] RecordedText text() const { return {m_recorded, what()}; }

private:
    Kind m_kind;
    std::string m_recorded;
};

// "RTP/AVP/TCP;unicast;interleaved=2-3" -> 2; nullopt when there is none or it is not a number
// from 0 to 255 (a channel is one byte of each interleaved frame).
std::optional<int> interleaved_channel(std::string_view transport);
// ... and its RTCP's channel: the second number (3 above), or the next after the first.
std::optional<int> interleaved_control_channel(std::string_view transport);

// What a session carries: the video, and the sound when it was asked for and set up.
struct RtspStreams {
    VideoDescription video;
    std::optional<AudioDescription> audio;
    // Why the camera's sound is not in the session although it has some (empty otherwise).
    RecordedText audio_problem;
};

enum class RtpTrack { video, audio };

// One packet off the session: RTP, or RTCP (`control`: sender reports, which tie each
// track's RTP clock to the camera's wall clock), of the video or the audio.
struct RtpPacket {
    RtpTrack track = RtpTrack::video;
    bool control = false;
    std::span<const std::uint8_t> data;
};
// How often a session is kept alive: half its timeout, never more often than twice a second.
std::chrono::milliseconds keep_alive_interval(const RtspSession& session);

class RtspConnection {
public:
    // Connects; `answer_timeout` bounds the connection, each reply and any silence after.
    RtspConnection(const RtspAddress& address, const std::atomic<bool>& stop,
                   std::chrono::milliseconds answer_timeout);
    ~RtspConnection();
    RtspConnection(const RtspConnection&) = delete;
    RtspConnection& operator=(const RtspConnection&) = delete;

    // DESCRIBE, SETUP (RTP over this connection) and PLAY; the streams they set up. The
    // camera's sound is set up too when `with_audio` and it has some.
    RtspStreams start(bool with_audio);
    // The next RTP or RTCP packet of the session, valid until the next call. Throws
    // RtspFailure; the silence watchdog watches the video's RTP only.
    RtpPacket next_packet();
    [[nodiscard]] std::chrono::milliseconds answer_timeout() const { return m_answer_timeout; }
    // The camera offered no RTP over this connection: its packets come over UDP.
    [[nodiscard]] bool over_udp() const { return m_udp != nullptr; }
    // Packets the network lost since the last call (none over TCP).
    std::uint64_t take_lost_packets() { return m_udp ? m_udp->take_lost() : 0; }

private:
    RtspReply request(const std::string& method, const std::string& url,
                      const std::string& headers = {});
    // A request's text: its line, CSeq, the session and the log-in once there are any.
    std::string compose(const std::string& method, const std::string& url,
                        const std::string& headers = {});
    void send_text(const std::string& text);
    // `method` names the request in a failure's message.
    RtspReply read_reply(const std::string& method);
    // The reply of `length` bytes at `at`; fails when its status line is broken.
    [[nodiscard]] RtspReply reply_at(std::size_t at, std::size_t length) const;
    // Fails when the description's numbers are not of a video stream this reader can time.
    void check_numbers(const VideoDescription& video) const;
    // SETUP of the sound over this connection; what stops it, in words, or nothing.
    RecordedText set_up_audio(const AudioDescription& audio, const std::string& stream_url);
    // The payload length of the interleaved frame ('$', channel, 16-bit length) at `at`.
    [[nodiscard]] std::size_t frame_length(std::size_t at) const;
    // The length of the whole reply that starts at `at` in the buffer, nullopt while more is
    // to come; fails with `not_rtsp` when what is there is no reply.
    std::optional<std::size_t> reply_length_at(std::size_t at, const RecordedText& not_rtsp) const;
    // Reads more bytes into the buffer (`flags` for recv); false when the read timed out with
    // nothing.
    bool receive(int flags = 0);
    // After a read that brought nothing: fails when the camera has been silent too long.
    void check_silence();
    void keep_alive_if_due();
    [[noreturn]] void fail(RtspFailure::Kind kind, const RecordedText& what) const;

    // RTP over UDP (rtsp_connection_udp.cpp). SETUP of `url` asking for UDP after the camera
    // refused RTP over TCP (`over_tcp`, its answer); the camera's answer.
    RtspReply set_up_over_udp(const std::string& url, const RtspReply& over_tcp);
    RtpPacket next_udp_packet();
    // SETUP of the sound over UDP, as the video's; what stops it, in words, or nothing.
    RecordedText set_up_audio_over_udp(const std::string& url);
    // SETUP of `url` over UDP on a new pair of ports; `agreed` when the camera answered with
    // RTP over UDP.
    RtspReply udp_setup(const std::string& url, bool& agreed);
    // The replies to keep-alives that came over the RTSP connection, read without waiting.
    void read_replies_between_packets();
    // Where the camera's datagrams may come from: the RTSP peer, or the reply's source=.
    [[nodiscard]] sockaddr_storage camera_address(const std::string& transport) const;

    RtspAddress m_address;
    const std::atomic<bool>& m_stop;
    std::chrono::milliseconds m_answer_timeout;
    int m_socket = -1;
    RtspAuthenticator m_authenticator;
    unsigned m_sequence = 0;
    RtspSession m_session;
    bool m_get_parameter = false;  // the camera's OPTIONS lists it: the lighter keep-alive
    std::string m_control_url;     // the session's, for keep-alives and TEARDOWN
    int m_rtp_channel = 0;         // the video's, and its RTCP's
    int m_rtcp_channel = 1;
    std::optional<int> m_audio_rtp_channel;  // the sound's, once set up
    int m_audio_rtcp_channel = 3;
    std::vector<std::uint8_t> m_buffer;
    std::size_t m_begin = 0;  // unread bytes are [m_begin, m_end)
    std::size_t m_end = 0;
    std::chrono::steady_clock::time_point m_last_packet;
    std::chrono::steady_clock::time_point m_next_keep_alive;
    std::unique_ptr<RtpOverUdp> m_udp;                    // set when the camera sends over UDP
    std::chrono::steady_clock::time_point m_next_report;  // RTCP receiver reports, over UDP
};

}  // namespace exam
