// The fixed header of an RTP packet (RFC 3550 5.1) and the big-endian numbers of RTP and RTCP:
// the one reading of them that the video's and the sound's depacketizers and the UDP receiver
// share. Private to libexam-recording; pure bytes in, values out.
#pragma once

#include <cstddef>
#include <cstdint>

namespace exam {

[[nodiscard]] inline std::uint16_t read_u16(const std::uint8_t* bytes) {
    return static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]);
}

[[nodiscard]] inline std::uint32_t read_u32(const std::uint8_t* bytes) {
    return (static_cast<std::uint32_t>(bytes[0]) << 24) |
           (static_cast<std::uint32_t>(bytes[1]) << 16) |
           (static_cast<std::uint32_t>(bytes[2]) << 8) | bytes[3];
}

struct RtpHeader {
    int payload_type = -1;
    bool marker = false;
    std::uint16_t sequence = 0;
    std::uint32_t rtp_time = 0;
    std::uint32_t ssrc = 0;
    // The payload, after the contributing sources and any header extension, padding removed.
    const std::uint8_t* payload = nullptr;
    std::size_t payload_size = 0;
};

enum class RtpReading {
    packet,     // `header` holds it, with a payload of at least one byte
    not_rtp,    // shorter than the fixed header, or not RTP version 2
    malformed,  // RTP, but its extension or padding lies about its length, or no payload is left
};

RtpReading read_rtp_header(const std::uint8_t* packet, std::size_t size, RtpHeader& header);

}  // namespace exam
