// Our RTSP client against a scripted camera on a loopback socket: the one way to put the
// stream's bytes where a real camera puts them only now and then, such as a packet's header
// cut in two by the end of a read, a keep-alive's reply between packets, RTCP beside RTP.
#include <atomic>
#include <limits>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "recording/rtsp_connection.hpp"

namespace {

using namespace std::chrono_literals;

class ScriptedCamera {
public:
    ScriptedCamera() {
        m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(m_listener, 1);
        socklen_t length = sizeof address;
        ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
    }
    ~ScriptedCamera() {
        if (m_thread.joinable()) {
            m_thread.join();
        }
        ::close(m_listener);
    }

    [[nodiscard]] std::string url() const {
        return "rtsp://127.0.0.1:" + std::to_string(m_port) + "/cam";
    }

    // Answers the set-up, then sends `chunks` one after another, each after a pause long
    // enough for the client's read to come back with what it has.
    // With `with_audio`, the description has a G.711 track too, set up on channels 6-7.
    void serve(std::vector<std::string> chunks, bool with_audio = false) {
        m_thread = std::thread([this, chunks = std::move(chunks), with_audio] {
            const int peer = ::accept(m_listener, nullptr, nullptr);
            std::vector<std::string> methods{"OPTIONS", "DESCRIBE", "SETUP", "PLAY"};
            if (with_audio) {
                methods.insert(methods.begin() + 3, "SETUP");
            }
            int setups = 0;
            for (const std::string& method : methods) {
                const std::string request = read_request(peer);
                m_requests += request;
                const std::string cseq = header(request, "CSeq");
                std::string reply = "RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\n";
                if (method == "OPTIONS") {
                    reply +=
                        "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER\r\n\r\n";
                } else if (method == "DESCRIBE") {
                    const std::string sdp =
                        std::string{
                            "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                            "a=control:stream=0\r\n"} +
                        (with_audio ? "m=audio 0 RTP/AVP 0\r\na=control:stream=1\r\n" : "");
                    reply += "Content-Base: " + url() +
                             "/\r\nContent-Length: " + std::to_string(sdp.size()) + "\r\n\r\n" +
                             sdp;
                } else if (method == "SETUP") {
                    reply +=
                        std::string{
                            "Session: 77;timeout=60\r\nTransport: RTP/AVP/TCP;"
                            "unicast;interleaved="} +
                        (setups++ == 0 ? "4-5" : "6-7") + "\r\n\r\n";
                } else {
                    reply += "Session: 77\r\n\r\n";
                }
                ::send(peer, reply.data(), reply.size(), MSG_NOSIGNAL);
            }
            for (const std::string& chunk : chunks) {
                std::this_thread::sleep_for(300ms);  // the client's read times out at 200 ms
                ::send(peer, chunk.data(), chunk.size(), MSG_NOSIGNAL);
            }
            // Stays open until the client has gone.
            char byte = 0;
            while (::recv(peer, &byte, 1, 0) > 0) {
            }
            ::close(peer);
        });
    }

    [[nodiscard]] std::string requests() const { return m_requests; }

private:
    static std::string read_request(int peer) {
        std::string request;
        char byte = 0;
        while (request.find("\r\n\r\n") == std::string::npos && ::recv(peer, &byte, 1, 0) == 1) {
            request += byte;
        }
        return request;
    }
    static std::string header(const std::string& request, const std::string& name) {
        const std::size_t at = request.find(name + ": ");
        return at == std::string::npos
                   ? ""
                   : request.substr(at + name.size() + 2,
                                    request.find("\r\n", at) - at - name.size() - 2);
    }

    int m_listener = -1;
    int m_port = 0;
    std::thread m_thread;
    std::string m_requests;
};

// An interleaved frame: '$', the channel, the 16-bit length, the bytes.
std::string interleaved(int channel, const std::string& payload) {
    std::string frame{'$', static_cast<char>(channel), static_cast<char>(payload.size() >> 8),
                      static_cast<char>(payload.size() & 0xff)};
    return frame + payload;
}

TEST(RtspConnection, PacketsComeWholeWhereverTheReadsCutTheStream) {
    ScriptedCamera camera;
    const std::string first = interleaved(4, "first-rtp-packet");
    const std::string rtcp = interleaved(5, "sender-report");
    const std::string second = interleaved(4, "second");
    const std::string reply = "RTSP/1.0 200 OK\r\nCSeq: 9\r\nSession: 77\r\n\r\n";
    const std::string third = interleaved(4, std::string(3000, 'x'));
    const std::string stream = first + rtcp + second + reply + third;
    // Cut inside the first header, inside the second's payload, inside the reply, and
    // one byte into the third.
    const std::size_t cuts[] = {2, first.size() + rtcp.size() + 5,
                                first.size() + rtcp.size() + second.size() + 10,
                                stream.size() - third.size() + 1};
    std::vector<std::string> chunks;
    std::size_t from = 0;
    for (const std::size_t cut : cuts) {
        chunks.push_back(stream.substr(from, cut - from));
        from = cut;
    }
    chunks.push_back(stream.substr(from));
    camera.serve(chunks);

    std::atomic<bool> stop{false};
    const auto address = exam::parse_rtsp_address(camera.url());
    ASSERT_TRUE(address);
    exam::RtspConnection connection{*address, stop, 5s};
    const exam::RtspStreams streams = connection.start(true);
    EXPECT_EQ(streams.video.codec, "H264");
    EXPECT_FALSE(streams.audio) << "the camera has no sound";
    EXPECT_EQ(streams.audio_problem.shown, "");
    const auto text = [](std::span<const std::uint8_t> packet) {
        return std::string(reinterpret_cast<const char*>(packet.data()), packet.size());
    };
    EXPECT_EQ(text(connection.next_packet().data), "first-rtp-packet");
    const exam::RtpPacket report = connection.next_packet();
    EXPECT_TRUE(report.control) << "RTCP on channel 5 is the video's control";
    EXPECT_EQ(text(report.data), "sender-report");
    EXPECT_EQ(text(connection.next_packet().data), "second");
    EXPECT_EQ(text(connection.next_packet().data), std::string(3000, 'x'));
    stop.store(true);
    // The stream was set up at the control URLs the camera gave.
    EXPECT_NE(camera.requests().find("SETUP " + camera.url() + "/stream=0 RTSP/1.0"),
              std::string::npos)
        << camera.requests();
    EXPECT_NE(camera.requests().find("Session: 77"), std::string::npos);
}

TEST(RtspConnection, ACameraThatSaysNothingIsSilentAfterTheTimeout) {
    ScriptedCamera camera;
    camera.serve({});
    std::atomic<bool> stop{false};
    exam::RtspConnection connection{*exam::parse_rtsp_address(camera.url()), stop, 1s};
    connection.start(false);
    const auto began = std::chrono::steady_clock::now();
    try {
        (void)connection.next_packet();
        ADD_FAILURE() << "a packet from a silent camera";
    } catch (const exam::RtspFailure& failure) {
        EXPECT_EQ(failure.kind(), exam::RtspFailure::Kind::silent);
    }
    EXPECT_GE(std::chrono::steady_clock::now() - began, 900ms);
}

TEST(RtspConnection, NoCameraAtThePortIsAFailureThatSaysWhere) {
    std::atomic<bool> stop{false};
    try {
        exam::RtspConnection connection{*exam::parse_rtsp_address("rtsp://127.0.0.1:1/x"), stop,
                                        2s};
        ADD_FAILURE() << "connected to port 1";
    } catch (const exam::RtspFailure& failure) {
        EXPECT_EQ(failure.kind(), exam::RtspFailure::Kind::failed);
        EXPECT_NE(std::string{failure.what()}.find("cannot connect to 127.0.0.1:1"),
                  std::string::npos)
            << failure.what();
    }
}

}  // namespace

namespace {

TEST(RtspConnection, AReplyThatNeverEndsIsSilenceNotAHang) {
    ScriptedCamera camera;
    // A keep-alive's reply whose empty line never comes, then video stuck behind it.
    camera.serve({"RTSP/1.0 200 OK\r\nCSeq: 9\r\n" + interleaved(4, "stuck")});
    std::atomic<bool> stop{false};
    exam::RtspConnection connection{*exam::parse_rtsp_address(camera.url()), stop, 1s};
    connection.start(false);
    try {
        (void)connection.next_packet();
        ADD_FAILURE() << "a packet from behind an unfinished reply";
    } catch (const exam::RtspFailure& failure) {
        EXPECT_EQ(failure.kind(), exam::RtspFailure::Kind::silent) << failure.what();
    }
}

}  // namespace

namespace {

TEST(RtspConnection, TheInterleavedChannelIsOneByteOrNone) {
    EXPECT_EQ(exam::interleaved_channel("RTP/AVP/TCP;unicast;interleaved=4-5"), 4);
    EXPECT_EQ(exam::interleaved_channel("RTP/AVP/TCP;interleaved=255;unicast"), 255);
    for (const char* nonsense : {"RTP/AVP/TCP;unicast", "RTP/AVP/TCP;interleaved=256-257",
                                 "RTP/AVP/TCP;interleaved=99999999999999999999-3",
                                 "RTP/AVP/TCP;interleaved=-1", "RTP/AVP/TCP;interleaved=x"}) {
        EXPECT_FALSE(exam::interleaved_channel(nonsense)) << nonsense;
    }
}

// Issue 11 item 1: "timeout=5000000" overflowed int in the keep-alive's arithmetic (UBSan).
TEST(RtspConnection, TheKeepAliveIsHalfTheTimeoutWithinBoundsWhateverTheCameraSays) {
    EXPECT_EQ(exam::keep_alive_interval(exam::parse_session_header("42;timeout=60")), 30s);
    EXPECT_EQ(exam::keep_alive_interval(exam::parse_session_header("42;timeout=5000000")), 1800s);
    EXPECT_EQ(exam::keep_alive_interval(exam::parse_session_header("42;timeout=1")), 500ms);
    exam::RtspSession session;
    session.timeout = std::chrono::seconds{std::numeric_limits<std::int64_t>::max() / 2};
    EXPECT_EQ(exam::keep_alive_interval(session), 1800s);
}

}  // namespace

namespace {

// Issue 12: the camera's sound is set up on the channels after the video's, and its packets
// and reports come tagged as the audio's; audio never counts as a picture for the watchdog.
TEST(RtspConnection, TheSoundIsSetUpBesideThePictureAndItsPacketsAreTagged) {
    ScriptedCamera camera;
    camera.serve(
        {interleaved(6, "audio-rtp") + interleaved(7, "audio-rtcp") + interleaved(4, "video-rtp")},
        true);
    std::atomic<bool> stop{false};
    exam::RtspConnection connection{*exam::parse_rtsp_address(camera.url()), stop, 5s};
    const exam::RtspStreams streams = connection.start(true);
    ASSERT_TRUE(streams.audio) << streams.audio_problem.shown;
    EXPECT_EQ(streams.audio->codec, "PCMU");
    const auto text = [](const exam::RtpPacket& packet) {
        return std::string(reinterpret_cast<const char*>(packet.data.data()), packet.data.size());
    };
    const exam::RtpPacket sound = connection.next_packet();
    EXPECT_EQ(sound.track, exam::RtpTrack::audio);
    EXPECT_FALSE(sound.control);
    EXPECT_EQ(text(sound), "audio-rtp");
    const exam::RtpPacket report = connection.next_packet();
    EXPECT_EQ(report.track, exam::RtpTrack::audio);
    EXPECT_TRUE(report.control);
    const exam::RtpPacket picture = connection.next_packet();
    EXPECT_EQ(picture.track, exam::RtpTrack::video);
    EXPECT_EQ(text(picture), "video-rtp");
    stop.store(true);
    EXPECT_NE(camera.requests().find("SETUP " + camera.url() + "/stream=1 RTSP/1.0"),
              std::string::npos)
        << camera.requests();
    EXPECT_NE(camera.requests().find("interleaved=6-7"), std::string::npos) << camera.requests();
}

TEST(RtspConnection, TheRtcpChannelIsTheSecondNumberOrTheNextOne) {
    EXPECT_EQ(exam::interleaved_control_channel("RTP/AVP/TCP;unicast;interleaved=4-5"), 5);
    EXPECT_EQ(exam::interleaved_control_channel("RTP/AVP/TCP;interleaved=2;unicast"), 3);
    EXPECT_EQ(exam::interleaved_control_channel("RTP/AVP/TCP;interleaved=255"), std::nullopt);
    EXPECT_EQ(exam::interleaved_control_channel("RTP/AVP/TCP;interleaved=0-999"), std::nullopt);
    EXPECT_EQ(exam::interleaved_control_channel("RTP/AVP/TCP;unicast"), std::nullopt);
}

}  // namespace
