#include "recording/rtsp_connection.hpp"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "recording/camera_limits.hpp"

namespace exam {
namespace {

using Clock = std::chrono::steady_clock;
using Kind = RtspFailure::Kind;

// How often a blocking read comes back to look at the stop flag and the watchdog.
constexpr auto k_wake_every = std::chrono::milliseconds{200};
// Wake for this much video at once (1080p at 4 Mbit/s: about 15 wake-ups a second); a slower
// camera's bytes come at the next k_wake_every.
constexpr int k_batch = 32 * 1024;
constexpr std::size_t k_buffer = 256 * 1024;

// strerror is not safe with a thread per camera; this is.
std::string system_error_text(int code) {
    return std::error_code{code, std::generic_category()}.message();
}

timeval to_timeval(std::chrono::milliseconds duration) {
    return {.tv_sec = static_cast<time_t>(duration.count() / 1000),
            .tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000)};
}

// A size for messages: "1 MiB", "16 KiB".
std::string in_binary_units(std::size_t bytes) {
    return bytes % (1024 * 1024) == 0 ? fmt::format("{} MiB", bytes / (1024 * 1024))
                                      : fmt::format("{} KiB", bytes / 1024);
}

}  // namespace

std::optional<int> interleaved_channel(std::string_view transport) {
    const std::size_t at = transport.find("interleaved=");
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view rest = transport.substr(at + 12);
    rest = rest.substr(0, std::min(rest.find_first_of("-;,"), rest.size()));
    const auto channel = parse_camera_number<unsigned>(trim_spaces(rest));
    if (!channel || *channel > 255) {
        return std::nullopt;  // the channel is one byte of each interleaved frame
    }
    return static_cast<int>(*channel);
}

std::optional<int> interleaved_control_channel(std::string_view transport) {
    const auto first = interleaved_channel(transport);
    if (!first) {
        return std::nullopt;
    }
    std::string_view rest = transport.substr(transport.find("interleaved=") + 12);
    rest = rest.substr(0, std::min(rest.find_first_of(";,"), rest.size()));
    const std::size_t dash = rest.find('-');
    if (dash == std::string_view::npos) {
        return *first < 255 ? std::optional<int>{*first + 1} : std::nullopt;
    }
    const auto second = parse_camera_number<unsigned>(trim_spaces(rest.substr(dash + 1)));
    if (!second || *second > 255) {
        return std::nullopt;
    }
    return static_cast<int>(*second);
}

std::chrono::milliseconds keep_alive_interval(const RtspSession& session) {
    // Half the session's timeout (held within its bounds by parse_session_header, and again
    // here, so that nothing can overflow), and never more often than twice a second.
    const auto timeout =
        std::clamp(session.timeout, std::chrono::seconds{k_shortest_session_timeout},
                   std::chrono::seconds{k_longest_session_timeout});
    return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(timeout) / 2,
                    std::chrono::milliseconds{500});
}

namespace {

// Why a connection failed: the system's error number, or one of these.
constexpr int k_stopped_connecting = -1;
constexpr int k_no_answer = -2;

// 0 when connected, else why not (the system's error number, k_stopped_connecting,
// k_no_answer).
int connect_within(int fd, const addrinfo& to, Clock::time_point deadline,
                   const std::atomic<bool>& stop) {
    int error = ::connect(fd, to.ai_addr, to.ai_addrlen) == 0 ? 0 : errno;
    while (error == EINPROGRESS || error == EINTR) {
        if (stop.load()) {
            return k_stopped_connecting;
        }
        if (Clock::now() >= deadline) {
            return k_no_answer;
        }
        pollfd waiting{.fd = fd, .events = POLLOUT, .revents = 0};
        if (::poll(&waiting, 1, static_cast<int>(k_wake_every.count())) > 0) {
            socklen_t length = sizeof error;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
        }
    }
    return error;
}

std::string connection_problem(int error) {
    switch (error) {
        case k_stopped_connecting: return _("recording stopped");
        case k_no_answer: return _("the camera did not answer");
        default: return system_error_text(error);
    }
}

}  // namespace

RtspConnection::RtspConnection(const RtspAddress& address, const std::atomic<bool>& stop,
                               std::chrono::milliseconds answer_timeout)
    : m_address(address),
      m_stop(stop),
      m_answer_timeout(answer_timeout),
      m_authenticator(address.user, address.password),
      m_buffer(k_buffer) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int resolved = ::getaddrinfo(address.host.c_str(), address.port.c_str(), &hints, &found);
    if (resolved != 0) {
        fail(Kind::failed, _rf("cannot find {}: {}", address.host, ::gai_strerror(resolved)));
    }
    const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses{found, &::freeaddrinfo};
    const auto deadline = Clock::now() + answer_timeout;
    int problem = 0;
    for (const addrinfo* candidate = found; candidate != nullptr && m_socket < 0;
         candidate = candidate->ai_next) {
        const int fd =
            ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                     candidate->ai_protocol);
        if (fd < 0) {
            problem = errno;
            continue;
        }
        problem = connect_within(fd, *candidate, deadline, stop);
        if (problem == 0) {
            m_socket = fd;
        } else {
            ::close(fd);
        }
    }
    if (stop.load()) {
        if (m_socket >= 0) {
            ::close(m_socket);
        }
        fail(Kind::stopped, _rf("recording stopped"));
    }
    if (m_socket < 0) {
        fail(Kind::failed, _rf("cannot connect to {}:{}: {}", address.host, address.port,
                               connection_problem(problem)));
    }
    // Blocking from here, but never for longer than k_wake_every at a time.
    ::fcntl(m_socket, F_SETFL, ::fcntl(m_socket, F_GETFL) & ~O_NONBLOCK);
    const timeval wake = to_timeval(k_wake_every);
    ::setsockopt(m_socket, SOL_SOCKET, SO_RCVTIMEO, &wake, sizeof wake);
    ::setsockopt(m_socket, SOL_SOCKET, SO_SNDTIMEO, &wake, sizeof wake);
    const int on = 1;
    ::setsockopt(m_socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

RtspConnection::~RtspConnection() {
    if (m_socket < 0) {
        return;
    }
    if (!m_session.id.empty()) {
        // A polite end, so that the camera frees the session now rather than at its timeout;
        // no wait for the answer.
        try {
            send_text(compose("TEARDOWN", m_control_url));
        } catch (const RtspFailure&) {
        }
    }
    ::close(m_socket);
}

void RtspConnection::fail(Kind kind, const RecordedText& what) const {
    throw RtspFailure(kind, what);
}

RtspStreams RtspConnection::start(bool with_audio) {
    const RtspReply options = request("OPTIONS", m_address.url);
    m_get_parameter = options.status == 200 &&
                      options.header("public").find("GET_PARAMETER") != std::string::npos;
    const RtspReply described = request("DESCRIBE", m_address.url, "Accept: application/sdp\r\n");
    if (described.status >= 300 && described.status < 400) {
        fail(Kind::unsupported,
             _rf("a redirection ({} {})", described.status, for_terminal(described.reason)));
    }
    if (described.status != 200) {
        fail(Kind::failed, _rf("the camera refused the stream {}: {} {}", m_address.url,
                               described.status, for_terminal(described.reason)));
    }
    const SessionDescription session = parse_session_description(described.body);
    if (!session.video) {
        fail(Kind::failed, _rf("the camera's stream {} has no video", m_address.url));
    }
    RtspStreams streams{.video = *session.video, .audio = std::nullopt, .audio_problem = {}};
    const VideoDescription& video = streams.video;
    check_numbers(video);
    const bool h264 =
        video.codec == "H264" && (video.packetization_mode == 0 || video.packetization_mode == 1);
    const bool h265 =
        (video.codec == "H265" || video.codec == "HEVC") && !video.decoding_order_numbers;
    if (!h264 && !h265) {
        fail(Kind::unsupported,
             _rf("{} video", video.codec.empty() ? "unnamed" : for_terminal(video.codec)));
    }
    std::string base = described.header("content-base");
    if (base.empty()) {
        base = described.header("content-location");
    }
    if (base.empty()) {
        base = m_address.url;
    }
    m_control_url = resolve_control(base, session.control);
    const std::string stream_url = resolve_control(m_control_url, video.control);

    RtspReply setup =
        request("SETUP", stream_url, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n");
    if (setup.status == 461 ||
        (setup.status == 200 &&
         setup.header("transport").find("interleaved=") == std::string::npos)) {
        setup = set_up_over_udp(stream_url, setup);  // the camera offers no RTP over TCP
    }
    if (setup.status != 200) {
        fail(Kind::failed,
             _rf("the camera refused to set up {}: {} {}", without_password(stream_url),
                 setup.status, for_terminal(setup.reason)));
    }
    m_session = parse_session_header(setup.header("session"));
    const auto channel = interleaved_channel(setup.header("transport"));
    if (!channel && !m_udp) {
        fail(Kind::failed, _rf("the camera's Transport header names no interleaved channel from 0 "
                               "to 255: \"{}\"",
                               for_terminal(setup.header("transport"))));
    }
    m_rtp_channel = channel.value_or(0);
    m_rtcp_channel = interleaved_control_channel(setup.header("transport")).value_or(-1);

    if (with_audio && session.audio) {
        streams.audio_problem =
            set_up_audio(*session.audio, resolve_control(m_control_url, session.audio->control));
        if (streams.audio_problem.shown.empty()) {
            streams.audio = session.audio;
        }
    }

    const RtspReply play = request("PLAY", m_control_url, "Range: npt=0.000-\r\n");
    if (play.status != 200) {
        fail(Kind::failed,
             _rf("the camera refused to play {}: {} {}", without_password(m_control_url),
                 play.status, for_terminal(play.reason)));
    }
    // From here on the connection carries video: wake for a batch, not for every packet.
    // (Over UDP it carries only the keep-alives' replies, read as they come.)
    const int batch = k_batch;
    if (!m_udp) {
        ::setsockopt(m_socket, SOL_SOCKET, SO_RCVLOWAT, &batch, sizeof batch);
    }
    m_last_packet = Clock::now();
    m_next_keep_alive = Clock::now() + keep_alive_interval(m_session);
    return streams;
}

RecordedText RtspConnection::set_up_audio(const AudioDescription& audio,
                                          const std::string& stream_url) {
    if (audio.payload_type < 0 || audio.payload_type > 127) {
        return _rf("its description names no RTP payload type from 0 to 127 for it");
    }
    if (audio.clock_rate < k_lowest_clock_rate || audio.clock_rate > k_highest_clock_rate) {
        return _rf("its description gives it a clock rate that is not from {} to {} Hz",
                   k_lowest_clock_rate, k_highest_clock_rate);
    }
    if (m_udp) {
        return set_up_audio_over_udp(stream_url);  // the video's transport, the sound's too
    }
    // The channels after the video's, as cameras number them.
    const int first = std::max(m_rtp_channel, m_rtcp_channel) + 1;
    if (first > 254) {
        return _rf("no interleaved channel is left for it");
    }
    const RtspReply setup = request(
        "SETUP", stream_url,
        fmt::format("Transport: RTP/AVP/TCP;unicast;interleaved={}-{}\r\n", first, first + 1));
    if (setup.status != 200) {
        return _rf("the camera refused to set it up: {} {}", setup.status,
                   for_terminal(setup.reason));
    }
    const auto channel = interleaved_channel(setup.header("transport"));
    const auto control = interleaved_control_channel(setup.header("transport"));
    if (!channel || *channel == m_rtp_channel || *channel == m_rtcp_channel) {
        return _rf(
            "the camera's Transport header names no interleaved channel of its own for "
            "it: \"{}\"",
            for_terminal(setup.header("transport")));
    }
    m_audio_rtp_channel = *channel;
    m_audio_rtcp_channel = control.value_or(-1);
    return {};
}

void RtspConnection::check_numbers(const VideoDescription& video) const {
    // The numbers of the description become the packets' filter and the recording's time
    // base: nonsense is this camera's failure, said in words, not absurd timestamps.
    if (video.payload_type < 0 || video.payload_type > 127) {
        fail(Kind::failed, _rf("the camera's description of {} names no RTP payload type from 0 "
                               "to 127 for its video",
                               m_address.url));
    }
    if (video.clock_rate < k_lowest_clock_rate || video.clock_rate > k_highest_clock_rate) {
        fail(Kind::failed, _rf("the camera's description of {} gives its video a clock rate that "
                               "is not from {} to {} Hz (H.264 and H.265 use 90000)",
                               m_address.url, k_lowest_clock_rate, k_highest_clock_rate));
    }
}

RtspReply RtspConnection::request(const std::string& method, const std::string& url,
                                  const std::string& headers) {
    for (int attempt = 0;; ++attempt) {
        send_text(compose(method, url, headers));
        RtspReply reply = read_reply(method);
        if (reply.status != 401) {
            return reply;
        }
        if (attempt == 0 && m_authenticator.accept_challenge(reply)) {
            continue;  // the same request again, with the answer to the challenge
        }
        if (m_address.user.empty()) {
            fail(Kind::failed, _rf("the camera wants a user name and password: write them into "
                                   "its address, rtsp://USER:PASSWORD@HOST/..."));
        }
        if (attempt == 0) {
            fail(Kind::unsupported, _rf("a way of logging in this reader does not speak"));
        }
        fail(Kind::failed, _rf("the camera refused the user name and password in its address"));
    }
}

std::string RtspConnection::compose(const std::string& method, const std::string& url,
                                    const std::string& headers) {
    std::string text = fmt::format("{} {} RTSP/1.0\r\nCSeq: {}\r\nUser-Agent: examkit\r\n{}",
                                   method, url, ++m_sequence, headers);
    if (!m_session.id.empty()) {
        text += "Session: " + m_session.id + "\r\n";
    }
    if (const std::string authorization = m_authenticator.authorization(method, url);
        !authorization.empty()) {
        text += "Authorization: " + authorization + "\r\n";
    }
    return text + "\r\n";
}

void RtspConnection::send_text(const std::string& text) {
    std::size_t sent = 0;
    const auto deadline = Clock::now() + m_answer_timeout;
    while (sent < text.size()) {
        const ssize_t n = ::send(m_socket, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) &&
            Clock::now() < deadline && !m_stop.load()) {
            continue;
        }
        if (m_stop.load()) {
            fail(Kind::stopped, _rf("recording stopped"));
        }
        const int error = n < 0 ? errno : 0;
        fail(Kind::failed, _rf("the connection to the camera broke: {}",
                               error != 0 ? system_error_text(error) : "closed"));
    }
}

// The reply to the request just sent; interleaved data that comes first is kept for later.
RtspReply RtspConnection::read_reply(const std::string& method) {
    const auto deadline = Clock::now() + m_answer_timeout;
    std::size_t skipped = 0;  // interleaved packets before the reply, kept for later
    while (true) {
        std::size_t at = m_begin + skipped;
        // Skip over interleaved packets to the reply, which may come after some.
        while (at + 4 <= m_end && m_buffer[at] == '$') {
            const std::size_t length = frame_length(at);
            if (at + 4 + length > m_end) {
                break;
            }
            at += 4 + length;
        }
        skipped = at - m_begin;
        if (skipped > k_most_video_before_a_reply) {
            fail(Kind::failed, _rf("the camera sent more than {} of video instead of answering {}",
                                   in_binary_units(k_most_video_before_a_reply), method));
        }
        if (at < m_end && m_buffer[at] != '$') {
            if (const auto length =
                    reply_length_at(at, _rf("the camera's answer is not RTSP as this "
                                            "reader knows it"))) {
                RtspReply reply = reply_at(at, *length);
                // The reply leaves the buffer; the packets before it stay.
                std::copy(m_buffer.begin() + static_cast<std::ptrdiff_t>(at + *length),
                          m_buffer.begin() + static_cast<std::ptrdiff_t>(m_end),
                          m_buffer.begin() + static_cast<std::ptrdiff_t>(at));
                m_end -= *length;
                return reply;
            }
        }
        if (Clock::now() >= deadline) {
            fail(Kind::silent, _rf("the camera did not answer"));
        }
        receive();
    }
}

std::size_t RtspConnection::frame_length(std::size_t at) const {
    return (static_cast<std::size_t>(m_buffer[at + 2]) << 8) | m_buffer[at + 3];
}

std::optional<std::size_t> RtspConnection::reply_length_at(std::size_t at,
                                                           const RecordedText& not_rtsp) const {
    try {
        return rtsp_reply_length({reinterpret_cast<const char*>(m_buffer.data() + at), m_end - at});
    } catch (const RtspReplyTooLong&) {
        // Not another protocol but a camera gone wrong: no use handing it to libavformat.
        fail(Kind::failed,
             _rf("the camera's answer is longer than an RTSP reply can be here "
                 "(headers up to {}, a body up to {})",
                 in_binary_units(k_longest_reply_head), in_binary_units(k_longest_reply_body)));
    } catch (const std::invalid_argument&) {
        fail(Kind::unsupported, not_rtsp);
    }
}

RtspReply RtspConnection::reply_at(std::size_t at, std::size_t length) const {
    try {
        return parse_rtsp_reply({reinterpret_cast<const char*>(m_buffer.data() + at), length});
    } catch (const std::invalid_argument&) {
        fail(Kind::failed, _rf("the camera's answer has no status code from 100 to 599"));
    }
}

bool RtspConnection::receive(int flags) {
    // Room for a whole batch at the end: what is unread moves to the front (a few KB of a
    // packet cut in two), and only a packet larger than the buffer makes it grow.
    if (m_buffer.size() - m_end < m_buffer.size() / 2 && m_begin > 0) {
        std::copy(m_buffer.begin() + static_cast<std::ptrdiff_t>(m_begin),
                  m_buffer.begin() + static_cast<std::ptrdiff_t>(m_end), m_buffer.begin());
        m_end -= m_begin;
        m_begin = 0;
    }
    if (m_end == m_buffer.size()) {
        // The limits on replies and on the video before them keep far below this; it is the
        // last guard against a camera that fills memory.
        if (m_buffer.size() * 2 > k_largest_read_buffer) {
            fail(Kind::failed, _rf("the camera sent more than {} that is neither a packet nor "
                                   "an answer",
                                   in_binary_units(k_largest_read_buffer)));
        }
        m_buffer.resize(m_buffer.size() * 2);
    }
    const ssize_t n = ::recv(m_socket, m_buffer.data() + m_end, m_buffer.size() - m_end, flags);
    if (m_stop.load()) {
        fail(Kind::stopped, _rf("recording stopped"));
    }
    if (n > 0) {
        m_end += static_cast<std::size_t>(n);
        return true;
    }
    if (n == 0) {
        fail(Kind::failed, _rf("the camera closed the connection"));
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        return false;
    }
    const int error = errno;
    fail(Kind::failed, _rf("the connection to the camera broke: {}", system_error_text(error)));
}

RtpPacket RtspConnection::next_packet() {
    if (m_udp) {
        return next_udp_packet();
    }
    while (true) {
        if (m_end > m_begin && m_buffer[m_begin] == '$') {
            if (m_end - m_begin < 4) {
                // The packet's header is cut by the end of what has arrived.
                receive();
                check_silence();
                continue;
            }
            const int channel = m_buffer[m_begin + 1];
            const std::size_t length = frame_length(m_begin);
            if (m_end - m_begin >= 4 + length) {
                const std::size_t packet = m_begin + 4;
                m_begin += 4 + length;
                const std::span<const std::uint8_t> data{m_buffer.data() + packet, length};
                if (channel == m_rtp_channel) {
                    m_last_packet = Clock::now();
                    keep_alive_if_due();
                    return {.track = RtpTrack::video, .control = false, .data = data};
                }
                if (channel == m_rtcp_channel) {
                    return {.track = RtpTrack::video, .control = true, .data = data};
                }
                if (m_audio_rtp_channel && channel == *m_audio_rtp_channel) {
                    return {.track = RtpTrack::audio, .control = false, .data = data};
                }
                if (m_audio_rtp_channel && channel == m_audio_rtcp_channel) {
                    return {.track = RtpTrack::audio, .control = true, .data = data};
                }
                continue;  // another stream's
            }
        } else if (m_end > m_begin && m_buffer[m_begin] == 'R') {
            // A reply to a keep-alive, between the packets.
            if (const auto length =
                    reply_length_at(m_begin, _rf("the camera's stream is not RTSP as "
                                                 "this reader knows it"))) {
                const RtspReply reply = reply_at(m_begin, *length);
                m_begin += *length;
                if (reply.status == 454) {
                    fail(Kind::failed, _rf("the camera ended the session (it may have been "
                                           "restarted); connecting again"));
                }
                continue;
            }
        } else if (m_end > m_begin) {
            fail(Kind::unsupported, _rf("the camera's stream is not RTSP as this reader knows it"));
        }
        // Whatever came, time is watched: bytes that never complete a packet (a reply whose
        // end never comes) are as good as silence.
        receive();
        check_silence();
    }
}

void RtspConnection::check_silence() {
    if (Clock::now() - m_last_packet >= m_answer_timeout) {
        fail(Kind::silent, _rf("no picture"));
    }
    keep_alive_if_due();
}

void RtspConnection::keep_alive_if_due() {
    if (Clock::now() < m_next_keep_alive) {
        return;
    }
    m_next_keep_alive = Clock::now() + keep_alive_interval(m_session);
    // The reply comes between the packets and is skipped there.
    send_text(compose(m_get_parameter ? "GET_PARAMETER" : "OPTIONS", m_control_url));
}

}  // namespace exam
