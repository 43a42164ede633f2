// The parts of an RTSP camera's session description (SDP, RFC 8866) that the recorder needs:
// the video stream's payload type, codec, clock rate, control URL and H.264 parameter sets.
// Private to libexam-recording; pure text in, values out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exam {

struct VideoDescription {
    int payload_type = -1;
    std::string codec;  // "H264", "H265", as the rtpmap names it, upper case
    int clock_rate = 90000;
    std::string control;  // as written: absolute, relative or "*"
    int packetization_mode = 0;
    // H.265: decoding-order numbers in the packets (sprop-max-don-diff above 0).
    bool decoding_order_numbers = false;
    // The parameter sets, each decoded, in decoding order: H.264's sprop-parameter-sets (SPS,
    // PPS), H.265's sprop-vps, sprop-sps and sprop-pps.
    std::vector<std::vector<std::uint8_t>> parameter_sets;
};

struct SessionDescription {
    std::string control;                    // the session-level a=control, if any
    std::optional<VideoDescription> video;  // the first video stream
};

SessionDescription parse_session_description(std::string_view text);

// The URL a stream's control names, against the base (Content-Base or the request's URL).
std::string resolve_control(const std::string& base, const std::string& control);

}  // namespace exam
