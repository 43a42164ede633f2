// RTP packets of a camera's video (RFC 6184 H.264, RFC 7798 H.265), as the recorder takes them
// off the wire: depacketised into access units, each read for its parameter sets (the reorder
// depth that B-frames need) and its picture order, and the decoding times derived.
// Input: one byte choosing the codec and the payload type, then packets, each preceded by its
// length in two bytes (big-endian), so that the mutator keeps packet boundaries.
#include "fuzz_support.hpp"
#include "recording/decode_times.hpp"
#include "recording/nal_units.hpp"
#include "recording/reorder_depth.hpp"
#include "recording/rtp_depacketizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const exam::VideoCodec codec =
        (data[0] & 1) != 0 ? exam::VideoCodec::h265 : exam::VideoCodec::h264;
    const int payload_type = 96 + ((data[0] >> 1) & 3);
    exam::RtpDepacketizer depacketizer{payload_type, codec};
    exam::DecodeTimes times{(data[0] >> 3) & 15};
    std::size_t at = 1;
    while (at + 2 <= size) {
        const std::size_t length = std::min<std::size_t>(
            static_cast<std::size_t>((data[at] << 8) | data[at + 1]), size - at - 2);
        depacketizer.push(data + at + 2, length);
        at += 2 + length;
        while (auto unit = depacketizer.next()) {
            if (const auto depth =
                    exam::reorder_depth_in(codec, unit->annex_b.data(), unit->annex_b.size())) {
                times.restart(*depth);
            }
            if (codec == exam::VideoCodec::h265) {
                (void)exam::h265_picture_in(unit->annex_b.data(), unit->annex_b.size());
            }
            exam::for_each_nal_unit(unit->annex_b.data(), unit->annex_b.size(),
                                    [&](const std::uint8_t* nal, std::size_t nal_size) {
                                        if (nal_size >= 2) {
                                            (void)exam::nal_unit_type(codec, nal);
                                        }
                                        return true;
                                    });
            times.push(unit->rtp_time);
            while (times.pop()) {
            }
        }
    }
    times.flush();
    while (times.pop()) {
    }
    return 0;
}
