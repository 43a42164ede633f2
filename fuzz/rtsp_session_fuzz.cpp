// A whole RTSP session with a camera, structure-aware: the input is the camera's side of the
// conversation, its parts separated by a line "%%" — one reply per request the recorder sends
// (OPTIONS, DESCRIBE, SETUP of the video and the sound, PLAY, keep-alives), and the last part
// the stream: interleaved RTP/RTCP frames ('$', channel, length) and whatever else a camera
// gone wrong sends. A real TCP connection on loopback carries it to the recorder's own RTSP
// client, whose packets go through the video and sound depacketisers as when recording.
#include <atomic>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_support.hpp"
#include "recording/audio_depacketizer.hpp"
#include "recording/rtp_depacketizer.hpp"
#include "recording/rtsp_connection.hpp"
#include "recording/rtsp_message.hpp"

namespace {

// A loopback port that accepts one camera connection per input.
int listening_socket(int& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(fd, 4) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        std::perror("fuzz: a loopback port for the camera");
        std::abort();
    }
    port = ntohs(address.sin_port);
    return fd;
}

// Waits for a request's head; false when the recorder went away. When none comes within a few
// milliseconds (the recorder waits for the stream after PLAY), the camera goes on talking.
bool read_request(int fd) {
    std::string request;
    char buffer[2048];
    while (request.find("\r\n\r\n") == std::string::npos) {
        pollfd readable{fd, POLLIN, 0};
        const int ready = ::poll(&readable, 1, request.empty() ? 5 : 2000);
        if (ready == 0 && request.empty()) {
            return true;
        }
        if (ready <= 0) {
            return false;
        }
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0) {
            return false;
        }
        request.append(buffer, static_cast<std::size_t>(got));
    }
    return true;
}

void send_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent <= 0) {
            return;
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
}

// The camera: a reply for each request, then the stream, then the connection closed.
void play_camera(int listener, const std::uint8_t* data, std::size_t size) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
        return;
    }
    exam::fuzz::Parts parts{data, size};
    std::string_view part;
    std::vector<std::string_view> all;
    while (parts.next(part)) {
        all.push_back(part);
    }
    bool talking = true;
    for (std::size_t i = 0; i + 1 < all.size() && talking; ++i) {
        talking = read_request(fd);
        if (talking) {
            send_all(fd, all[i]);
        }
    }
    if (talking && !all.empty()) {
        send_all(fd, all.back());
    }
    ::shutdown(fd, SHUT_WR);
    char sink[2048];
    pollfd readable{fd, POLLIN, 0};
    while (::poll(&readable, 1, 2000) > 0 && ::recv(fd, sink, sizeof sink, 0) > 0) {
    }
    ::close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static int port = 0;
    static const int listener = listening_socket(port);
    std::thread camera{play_camera, listener, data, size};
    const auto address =
        exam::parse_rtsp_address("rtsp://admin:secret@127.0.0.1:" + std::to_string(port) + "/cam");
    std::atomic<bool> stop{false};
    try {
        exam::RtspConnection connection{*address, stop, std::chrono::milliseconds{50}};
        const exam::RtspStreams streams = connection.start(true);
        const exam::VideoCodec codec =
            streams.video.codec == "H264" ? exam::VideoCodec::h264 : exam::VideoCodec::h265;
        exam::RtpDepacketizer video{streams.video.payload_type, codec};
        std::optional<exam::AudioDepacketizer> sound;
        if (streams.audio) {
            sound.emplace(streams.audio->payload_type,
                          streams.audio->codec == "PCMU"   ? exam::AudioCodec::pcmu
                          : streams.audio->codec == "PCMA" ? exam::AudioCodec::pcma
                                                           : exam::AudioCodec::aac);
        }
        for (int packets = 0; packets < 10'000; ++packets) {
            const exam::RtpPacket packet = connection.next_packet();
            if (packet.control) {
                continue;
            }
            if (packet.track == exam::RtpTrack::video) {
                video.push(packet.data.data(), packet.data.size());
                while (video.next()) {
                }
            } else if (sound) {
                sound->push(packet.data.data(), packet.data.size());
                while (sound->next()) {
                }
            }
        }
    } catch (const exam::RtspFailure&) {
        // The session ended or never started: what a camera gone wrong is answered with.
    }
    camera.join();
    return 0;
}
