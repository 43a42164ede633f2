// RTP to H.264 access units (RFC 6184): single NAL units, STAP-A aggregates and FU-A
// fragments become one Annex B picture each (a four-byte start code before every NAL unit),
// as FFmpeg's own RTSP reader hands them over, so the rest of the recorder sees no difference.
// An access unit ends at the RTP marker bit or where the next timestamp begins.
// Private to libexam-recording; knows nothing of FFmpeg, so that it is tested on crafted bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace exam {

struct AccessUnit {
    std::vector<std::uint8_t> annex_b;
    std::uint32_t rtp_time = 0;
    bool keyframe = false;  // holds an IDR slice
};

class H264Depacketizer {
public:
    explicit H264Depacketizer(int payload_type) : m_payload_type(payload_type) {}

    // One RTP packet as it came off the wire. Packets of another payload type, malformed
    // ones and NAL units whose fragments were lost are dropped.
    void push(const std::uint8_t* packet, std::size_t size);
    // The next finished access unit, oldest first.
    std::optional<AccessUnit> next();

    [[nodiscard]] std::uint64_t packets_lost() const { return m_lost; }

private:
    void add_nal_unit(const std::uint8_t* nal, std::size_t size);
    void finish_unit();

    int m_payload_type;
    std::deque<AccessUnit> m_done;
    AccessUnit m_current;
    bool m_open = false;                      // m_current holds something
    std::optional<std::uint16_t> m_sequence;  // of the last packet taken
    std::size_t m_fragment_start = 0;         // where the FU-A being assembled begins in m_current
    bool m_in_fragment = false;
    std::uint64_t m_lost = 0;
};

}  // namespace exam
