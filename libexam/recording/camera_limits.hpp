// What the recorder believes of a camera: every number it sends is untrusted and every buffer
// it can fill has a ceiling. A camera past one of these limits costs that camera only: its
// connection fails with a reason that names the limit, which becomes its gap; the other cameras
// record on. docs/recording-format.md ("Cameras that misbehave") states the same numbers.
// Private to libexam-recording.
#pragma once

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace exam {

// The largest picture (access unit) kept: a 4K keyframe at a high bitrate is well under 2 MiB,
// so anything near this is a stream gone wrong (a fragment that never ends, pictures never
// closed by the marker bit). It is dropped and counted; the stream goes on.
constexpr std::size_t k_largest_access_unit = 8 * 1024 * 1024;
// An RTSP reply's head (status line and headers) and body (a session description is a few
// hundred bytes, a large one a few KB).
constexpr std::size_t k_longest_reply_head = 16 * 1024;
constexpr std::size_t k_longest_reply_body = 256 * 1024;
// Video a camera may send before the answer to a request (some send a few packets before
// PLAY's reply; none before DESCRIBE's): more is a camera that does not answer.
constexpr std::size_t k_most_video_before_a_reply = 1024 * 1024;
// The connection's read buffer never grows past this (a reply of the largest size beside the
// video before it, twice over).
constexpr std::size_t k_largest_read_buffer = 4 * 1024 * 1024;
// A session's timeout (the Session header's timeout=) is taken within these bounds; the
// keep-alive goes at half of it.
constexpr std::chrono::seconds k_shortest_session_timeout{1};
constexpr std::chrono::seconds k_longest_session_timeout{3600};
constexpr std::chrono::seconds k_default_session_timeout{60};
// RTP's clock rates for video are 90 kHz (RFC 6184, RFC 7798); a description outside this is
// refused rather than turned into absurd timestamps.
constexpr int k_lowest_clock_rate = 1000;
constexpr int k_highest_clock_rate = 1'000'000;

// An audio frame: AAC's largest is 6144 bits per channel (768 bytes, 6 KiB for eight
// channels); a G.711 packet of a whole second at 8 kHz is 8000 bytes. Larger is garbage.
constexpr std::size_t k_largest_audio_frame = 8 * 1024;
// AAC's AudioSpecificConfig (the fmtp line's config=) is 2 to 5 bytes; longer is not one.
constexpr std::size_t k_longest_audio_config = 64;
// Audio frames waiting to be written (about 5 s of AAC at 48 kHz, 16 s of G.711 at 8 kHz in
// 20 ms packets): more, and the oldest are dropped, since sound never holds up the picture.
constexpr std::size_t k_most_audio_frames_waiting = 256;
// An audio track's clock (its sample rate) and channels.
constexpr int k_lowest_audio_rate = 8000;
constexpr int k_highest_audio_rate = 96000;
constexpr int k_most_audio_channels = 8;

// A decimal number as a camera writes it (digits only, no sign, no spaces), or nullopt when it
// is not one or does not fit `Number`: never the undefined behaviour of atoi on a long number.
template <typename Number>
std::optional<Number> parse_camera_number(std::string_view text) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || text.front() == '-' || error != std::errc{} ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace exam
