#include "recording/rtp_depacketizer.hpp"
#include <algorithm>

#include "recording/camera_limits.hpp"
#include "recording/rtp_packet.hpp"

namespace exam {
namespace {

constexpr std::uint8_t k_start_code[] = {0, 0, 0, 1};
// H.264 (RFC 6184): NAL type in the low five bits of one header byte.
constexpr int k_idr_slice = 5;
constexpr int k_stap_a = 24;
constexpr int k_fu_a = 28;
// H.265 (RFC 7798): NAL type in bits 1-6 of the first of two header bytes.
constexpr int k_h265_aggregation = 48;
constexpr int k_h265_fragment = 49;
constexpr int k_h265_irap_first = 16;  // BLA, IDR and CRA pictures: 16 to 23
constexpr int k_h265_irap_last = 23;

int h265_type(std::uint8_t first_header_byte) {
    return (first_header_byte >> 1) & 0x3f;
}

}  // namespace

void RtpDepacketizer::push(const std::uint8_t* packet, std::size_t size) {
    RtpHeader header;
    if (read_rtp_header(packet, size, header) != RtpReading::packet ||
        header.payload_type != m_payload_type) {
        return;
    }
    const bool marker = header.marker;
    const std::uint16_t sequence = header.sequence;
    const std::uint32_t rtp_time = header.rtp_time;
    if (m_sequence && static_cast<std::uint16_t>(*m_sequence + 1) != sequence) {
        m_lost += static_cast<std::uint16_t>(sequence - *m_sequence - 1);
        drop_fragment();  // the rest of the fragmented NAL unit is gone
    }
    m_sequence = sequence;
    if (m_discarding) {
        // The rest of a picture dropped as too large: up to its marker or a new timestamp.
        if (rtp_time == m_current.rtp_time) {
            m_discarding = !marker;
            return;
        }
        m_discarding = false;
    }
    if (m_open && rtp_time != m_current.rtp_time) {
        finish_unit();  // the previous picture's last packet had no marker
    }
    if (!m_open) {
        m_current.rtp_time = rtp_time;
    }

    if (m_codec == VideoCodec::h264) {
        take_h264(header.payload, header.payload_size);
    } else {
        take_h265(header.payload, header.payload_size);
    }
    if (marker) {
        m_discarding = false;  // an oversized picture's last packet
        finish_unit();
    }
}

void RtpDepacketizer::take_h264(const std::uint8_t* payload, std::size_t length) {
    const int type = payload[0] & 0x1f;
    if (type >= 1 && type <= 23) {
        add_nal_unit(payload, length);
    } else if (type == k_stap_a) {
        // Aggregated NAL units, each after its 16-bit size.
        std::size_t at = 1;
        while (at + 2 <= length) {
            const std::size_t unit = read_u16(payload + at);
            at += 2;
            if (unit == 0 || at + unit > length) {
                break;
            }
            add_nal_unit(payload + at, unit);
            at += unit;
        }
    } else if (type == k_fu_a && length >= 2) {
        const auto header = static_cast<std::uint8_t>((payload[0] & 0xe0) | (payload[1] & 0x1f));
        add_fragment(&header, 1, (payload[1] & 0x80) != 0, (payload[1] & 0x40) != 0, payload + 2,
                     length - 2);
    }
}

void RtpDepacketizer::take_h265(const std::uint8_t* payload, std::size_t length) {
    if (length < 3) {
        return;  // a two-byte header and at least one byte
    }
    const int type = h265_type(payload[0]);
    if (type < k_h265_aggregation) {
        add_nal_unit(payload, length);
    } else if (type == k_h265_aggregation) {
        // Aggregated NAL units after the two-byte header, each after its 16-bit size (no
        // decoding-order numbers: the description is refused when it announces them).
        std::size_t at = 2;
        while (at + 2 <= length) {
            const std::size_t unit = read_u16(payload + at);
            at += 2;
            if (unit < 2 || at + unit > length) {
                break;
            }
            add_nal_unit(payload + at, unit);
            at += unit;
        }
    } else if (type == k_h265_fragment) {
        // The fragment header's type goes into the payload header's type bits.
        const std::uint8_t fu = payload[2];
        const std::uint8_t header[2] = {
            static_cast<std::uint8_t>((payload[0] & 0x81) | ((fu & 0x3f) << 1)), payload[1]};
        add_fragment(header, 2, (fu & 0x80) != 0, (fu & 0x40) != 0, payload + 3, length - 3);
    }
}

bool RtpDepacketizer::fits(std::size_t more) {
    if (m_current.annex_b.size() + more <= k_largest_access_unit) {
        return true;
    }
    // Garbage, not a picture: dropped whole (a part would not decode), and its capacity kept,
    // so that a camera sending such pictures again and again costs no more memory.
    m_current.annex_b.clear();
    m_nal_headers.clear();
    m_in_fragment = false;
    m_open = false;
    m_discarding = true;
    ++m_oversized;
    return false;
}

void RtpDepacketizer::add_fragment(const std::uint8_t* header, std::size_t header_size, bool first,
                                   bool last, const std::uint8_t* data, std::size_t size) {
    if (m_discarding || !fits((first ? sizeof k_start_code + header_size : 0) +
                              (first || m_in_fragment ? size : 0))) {
        return;
    }
    if (first) {
        drop_fragment();  // one never finished
        m_fragment_start = m_current.annex_b.size();
        m_in_fragment = true;
        m_current.annex_b.insert(m_current.annex_b.end(), std::begin(k_start_code),
                                 std::end(k_start_code));
        m_nal_headers.push_back(m_current.annex_b.size());
        m_current.annex_b.insert(m_current.annex_b.end(), header, header + header_size);
        m_open = true;
    }
    if (m_in_fragment) {
        m_current.annex_b.insert(m_current.annex_b.end(), data, data + size);
        if (last) {
            m_in_fragment = false;
        }
    }
}

void RtpDepacketizer::drop_fragment() {
    if (m_in_fragment) {
        m_current.annex_b.resize(m_fragment_start);
        m_nal_headers.pop_back();  // the fragment's own, noted when it began
        m_in_fragment = false;
    }
}

bool RtpDepacketizer::is_keyframe() const {
    // The headers of the NAL units kept (a dropped fragment's is gone with it): no scan of
    // the picture's bytes, which at 60 cameras would cost more than the rest of this file.
    for (const std::size_t at : m_nal_headers) {
        const std::uint8_t header = m_current.annex_b[at];
        if (m_codec == VideoCodec::h264
                ? (header & 0x1f) == k_idr_slice
                : h265_type(header) >= k_h265_irap_first && h265_type(header) <= k_h265_irap_last) {
            return true;
        }
    }
    return false;
}

void RtpDepacketizer::add_nal_unit(const std::uint8_t* nal, std::size_t size) {
    drop_fragment();  // a fragment cut off by a whole unit
    if (m_discarding || !fits(sizeof k_start_code + size)) {
        return;
    }
    m_current.annex_b.insert(m_current.annex_b.end(), std::begin(k_start_code),
                             std::end(k_start_code));
    m_nal_headers.push_back(m_current.annex_b.size());
    m_current.annex_b.insert(m_current.annex_b.end(), nal, nal + size);
    m_open = true;
}

void RtpDepacketizer::finish_unit() {
    drop_fragment();
    if (m_open && !m_current.annex_b.empty()) {
        // A keyframe is one whose IDR (IRAP) picture is still there: a dropped fragment may
        // have been it.
        m_current.keyframe = is_keyframe();
        const std::uint32_t rtp_time = m_current.rtp_time;
        const std::size_t size = m_current.annex_b.size();
        m_done.push_back(std::move(m_current));
        m_current = AccessUnit{};
        m_current.rtp_time = rtp_time;
        // Pictures of a stream are alike in size: one allocation per picture, not a dozen.
        m_current.annex_b.reserve(std::min(size + size / 2, k_largest_access_unit));
    }
    m_nal_headers.clear();
    m_open = false;
}

std::optional<AccessUnit> RtpDepacketizer::next() {
    if (m_done.empty()) {
        return std::nullopt;
    }
    AccessUnit unit = std::move(m_done.front());
    m_done.pop_front();
    return unit;
}

}  // namespace exam
