#include "recording/rtp_packet.hpp"

namespace exam {

RtpReading read_rtp_header(const std::uint8_t* packet, std::size_t size, RtpHeader& header) {
    if (size < 12 || (packet[0] >> 6) != 2) {
        return RtpReading::not_rtp;
    }
    const bool padding = (packet[0] & 0x20) != 0;
    const bool extension = (packet[0] & 0x10) != 0;
    const std::size_t sources = packet[0] & 0x0f;
    header.payload_type = packet[1] & 0x7f;
    header.marker = (packet[1] & 0x80) != 0;
    header.sequence = read_u16(packet + 2);
    header.rtp_time = read_u32(packet + 4);
    header.ssrc = read_u32(packet + 8);
    std::size_t begin = 12 + 4 * sources;
    std::size_t end = size;
    if (extension) {
        if (begin + 4 > end) {
            return RtpReading::malformed;
        }
        begin += 4 + 4 * static_cast<std::size_t>(read_u16(packet + begin + 2));
    }
    if (padding) {
        const std::size_t pad = packet[end - 1];
        end = pad <= end ? end - pad : 0;
    }
    if (begin >= end) {
        return RtpReading::malformed;
    }
    header.payload = packet + begin;
    header.payload_size = end - begin;
    return RtpReading::packet;
}

}  // namespace exam
