// The parts of an RTSP camera's session description (SDP, RFC 8866) that the recorder needs:
// the video stream's payload type, codec, clock rate, control URL and H.264 parameter sets,
// and the first audio stream's.
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

// The camera's sound: MPEG4-GENERIC (AAC, RFC 3640) or G.711 (PCMU, PCMA), or what else it
// names (kept here so that the recorder can say what it does not keep).
struct AudioDescription {
    int payload_type = -1;
    std::string codec;  // as the rtpmap names it, upper case; PCMU/PCMA for static types 0/8
    int clock_rate = 8000;
    int channels = 1;
    std::string control;
    // RFC 3640's fmtp items (AAC): the AudioSpecificConfig in hex and the AU-header layout.
    std::string config;
    std::string mode;  // "AAC-hbr", "AAC-lbr", as written
    int size_length = 0;
    int index_length = 0;
    int index_delta_length = 0;
};

struct SessionDescription {
    std::string control;                    // the session-level a=control, if any
    std::optional<VideoDescription> video;  // the first video stream
    std::optional<AudioDescription> audio;  // the first audio stream
};

SessionDescription parse_session_description(std::string_view text);

// The URL a stream's control names, against the base (Content-Base or the request's URL).
std::string resolve_control(const std::string& base, const std::string& control);

}  // namespace exam
