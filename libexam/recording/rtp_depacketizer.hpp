// RTP to H.264 (RFC 6184) or H.265 (RFC 7798) access units: single NAL units, aggregation
// packets (STAP-A, AP) and fragments (FU-A, FU) become one Annex B picture each (a four-byte
// start code before every NAL unit), as FFmpeg's own RTSP reader hands them over, so the rest
// of the recorder sees no difference. An access unit ends at the RTP marker bit or where the
// next timestamp begins. A picture that grows past k_largest_access_unit (camera_limits.hpp) is
// dropped whole and counted, and memory stays bounded whatever the camera sends.
// Private to libexam-recording; knows nothing of FFmpeg, so that it is tested on crafted bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace exam {

enum class VideoCodec { h264, h265 };

struct AccessUnit {
    std::vector<std::uint8_t> annex_b;
    std::uint32_t rtp_time = 0;
    bool keyframe = false;  // holds an IDR slice (H.265: an IRAP picture's)
};

class RtpDepacketizer {
public:
    RtpDepacketizer(int payload_type, VideoCodec codec)
        : m_payload_type(payload_type), m_codec(codec) {}

    // One RTP packet as it came off the wire. Packets of another payload type, malformed
    // ones and NAL units whose fragments were lost are dropped.
    void push(const std::uint8_t* packet, std::size_t size);
    // The next finished access unit, oldest first.
    std::optional<AccessUnit> next();

    [[nodiscard]] std::uint64_t packets_lost() const { return m_lost; }
    // Pictures dropped because they grew past k_largest_access_unit.
    [[nodiscard]] std::uint64_t oversized_dropped() const { return m_oversized; }

private:
    void take_h264(const std::uint8_t* payload, std::size_t length);
    void take_h265(const std::uint8_t* payload, std::size_t length);
    void add_nal_unit(const std::uint8_t* nal, std::size_t size);
    // A fragment: `header` is the rebuilt NAL header (1 byte for H.264, 2 for H.265).
    void add_fragment(const std::uint8_t* header, std::size_t header_size, bool first, bool last,
                      const std::uint8_t* data, std::size_t size);
    void drop_fragment();
    // Whether `more` bytes still fit the picture; when not, drops it and discards the rest.
    bool fits(std::size_t more);
    [[nodiscard]] bool is_keyframe() const;
    void finish_unit();

    int m_payload_type;
    VideoCodec m_codec;
    std::deque<AccessUnit> m_done;
    AccessUnit m_current;
    bool m_open = false;                      // m_current holds something
    std::optional<std::uint16_t> m_sequence;  // of the last packet taken
    std::size_t m_fragment_start = 0;         // where the fragmented NAL unit begins in m_current
    bool m_in_fragment = false;
    std::vector<std::size_t> m_nal_headers;  // where each NAL unit's header is in m_current
    std::uint64_t m_lost = 0;
    bool m_discarding = false;  // the rest of an oversized picture (its timestamp) is dropped
    std::uint64_t m_oversized = 0;
};

}  // namespace exam
