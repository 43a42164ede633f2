#include "recording/audio_depacketizer.hpp"

#include <exam/util/base64.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "recording/camera_limits.hpp"
#include "recording/rtp_packet.hpp"
#include "recording/session_description.hpp"

namespace exam {
namespace {

constexpr std::uint32_t k_aac_frame_samples = 1024;

// Reads fields of up to 16 bits from a byte range, most significant bit first.
class BitReader {
public:
    BitReader(const std::uint8_t* bytes, std::size_t size) : m_bytes(bytes), m_bits(size * 8) {}
    [[nodiscard]] std::size_t left() const { return m_bits - m_position; }
    std::uint32_t read(int count) {
        std::uint32_t value = 0;
        for (int i = 0; i < count; ++i, ++m_position) {
            const std::uint8_t byte = m_bytes[m_position / 8];
            value = (value << 1) | ((byte >> (7 - m_position % 8)) & 1U);
        }
        return value;
    }

private:
    const std::uint8_t* m_bytes;
    std::size_t m_bits;
    std::size_t m_position = 0;
};

}  // namespace

std::optional<std::vector<std::uint8_t>> parse_audio_config(std::string_view hex) {
    if (hex.empty() || hex.size() > 2 * k_longest_audio_config) {
        return std::nullopt;
    }
    return hex_decode(hex);
}

bool is_supported(const AacHeaderFormat& format) {
    return format.size_length >= 1 && format.size_length <= 16 && format.index_length >= 0 &&
           format.index_length <= 8 && format.index_delta_length >= 0 &&
           format.index_delta_length <= 8;
}

RecordedText audio_not_kept(const AudioDescription& audio) {
    if (audio.codec != "MPEG4-GENERIC" && audio.codec != "PCMU" && audio.codec != "PCMA") {
        return _rf("its sound is {}, which is not kept (AAC and G.711 are)", audio.codec);
    }
    if (audio.clock_rate < k_lowest_audio_rate || audio.clock_rate > k_highest_audio_rate) {
        return _rf("its sound's rate of {} Hz is not from {} to {} Hz", audio.clock_rate,
                   k_lowest_audio_rate, k_highest_audio_rate);
    }
    if (audio.codec != "MPEG4-GENERIC") {
        return audio.channels == 1
                   ? RecordedText{}
                   : _rf("its G.711 sound has {} channels; only one is kept", audio.channels);
    }
    if (audio.channels < 1 || audio.channels > k_most_audio_channels) {
        return _rf("its sound has {} channels, not 1 to {}", audio.channels, k_most_audio_channels);
    }
    if (!parse_audio_config(audio.config)) {
        return _rf("its AAC sound's description has no config= of 1 to 64 bytes in hex");
    }
    const std::string mode = ascii_lower(audio.mode);
    if ((mode != "aac-hbr" && mode != "aac-lbr") ||
        !is_supported(
            AacHeaderFormat{audio.size_length, audio.index_length, audio.index_delta_length})) {
        return _rf(
            "its AAC sound is sent in the mode \"{}\" with AU-headers of {} size and {} "
            "index bits; AAC-hbr and AAC-lbr are kept",
            audio.mode, audio.size_length, audio.index_length);
    }
    return {};
}

void AudioDepacketizer::push(const std::uint8_t* packet, std::size_t size) {
    RtpHeader header;
    const RtpReading reading = read_rtp_header(packet, size, header);
    if (reading == RtpReading::not_rtp ||
        (reading == RtpReading::packet && header.payload_type != m_payload_type)) {
        return;
    }
    if (reading == RtpReading::malformed) {
        ++m_malformed;
        return;
    }
    const bool marker = header.marker;
    const std::uint16_t sequence = header.sequence;
    const std::uint32_t rtp_time = header.rtp_time;
    if (m_sequence && static_cast<std::uint16_t>(*m_sequence + 1) != sequence) {
        m_lost += static_cast<std::uint16_t>(sequence - *m_sequence - 1);
        if (m_fragment) {
            m_fragment.reset();  // a part of it is gone
            ++m_malformed;
        }
    }
    m_sequence = sequence;
    if (m_codec == AudioCodec::aac) {
        take_aac(header.payload, header.payload_size, rtp_time, marker);
    } else {
        add_frame(header.payload, header.payload_size, rtp_time);
    }
}

std::optional<AudioFrame> AudioDepacketizer::next() {
    if (m_done.empty()) {
        return std::nullopt;
    }
    AudioFrame frame = std::move(m_done.front());
    m_done.pop_front();
    return frame;
}

void AudioDepacketizer::take_aac(const std::uint8_t* payload, std::size_t length,
                                 std::uint32_t rtp_time, bool marker) {
    // AU-headers-length (in bits), the AU-headers, padding to a whole byte, the frames.
    if (length < 2 || !is_supported(m_format)) {
        ++m_malformed;
        return;
    }
    const std::size_t header_bits = read_u16(payload);
    const std::size_t header_bytes = (header_bits + 7) / 8;
    if (2 + header_bytes > length) {
        ++m_malformed;
        return;
    }
    const std::uint8_t* data = payload + 2 + header_bytes;
    const std::size_t data_length = length - 2 - header_bytes;
    if (m_fragment) {
        // The rest of a fragmented frame comes with the same headers and RTP time.
        if (rtp_time == m_fragment->rtp_time) {
            take_fragment(data, data_length, rtp_time, marker);
            return;
        }
        m_fragment.reset();  // its last part never came
        ++m_malformed;
    }
    BitReader headers{payload + 2, header_bytes};
    std::vector<std::size_t> sizes;
    std::size_t used = 0;
    std::size_t read_bits = 0;
    for (bool first = true; read_bits < header_bits; first = false) {
        const int index_length = first ? m_format.index_length : m_format.index_delta_length;
        const std::size_t one = static_cast<std::size_t>(m_format.size_length + index_length);
        if (read_bits + one > header_bits) {
            ++m_malformed;
            return;
        }
        const std::size_t frame_size = headers.read(m_format.size_length);
        // Interleaving (a non-zero index or delta) puts frames out of order: not a camera's.
        if (headers.read(index_length) != 0) {
            ++m_malformed;
            return;
        }
        read_bits += one;
        sizes.push_back(frame_size);
        used += frame_size;
    }
    if (sizes.size() == 1 && sizes.front() > data_length) {
        // One frame larger than the packet: its first fragment (RFC 3640 3.2.3).
        if (sizes.front() > k_largest_audio_frame) {
            ++m_malformed;
            return;
        }
        m_fragment_size = sizes.front();
        m_fragment = AudioFrame{{}, rtp_time};
        take_fragment(data, data_length, rtp_time, marker);
        return;
    }
    if (sizes.empty() || used > data_length) {
        ++m_malformed;  // the headers promise more than the packet holds
        return;
    }
    std::uint32_t frame_time = rtp_time;
    for (const std::size_t frame_size : sizes) {
        add_frame(data, frame_size, frame_time);
        data += frame_size;
        frame_time += k_aac_frame_samples;
    }
}

void AudioDepacketizer::take_fragment(const std::uint8_t* data, std::size_t length,
                                      std::uint32_t rtp_time, bool marker) {
    if (m_fragment->data.size() + length > m_fragment_size) {
        m_fragment.reset();
        ++m_malformed;
        return;
    }
    m_fragment->data.insert(m_fragment->data.end(), data, data + length);
    if (marker || m_fragment->data.size() == m_fragment_size) {
        if (m_fragment->data.size() == m_fragment_size) {
            add_frame(m_fragment->data.data(), m_fragment->data.size(), rtp_time);
        } else {
            ++m_malformed;  // the marker came before the whole frame
        }
        m_fragment.reset();
    }
}

void AudioDepacketizer::add_frame(const std::uint8_t* data, std::size_t length,
                                  std::uint32_t rtp_time) {
    if (length == 0) {
        return;
    }
    if (length > k_largest_audio_frame) {
        ++m_malformed;
        return;
    }
    if (m_done.size() >= k_most_audio_frames_waiting) {
        m_done.pop_front();  // nobody takes them: the oldest go
    }
    m_done.push_back(AudioFrame{{data, data + length}, rtp_time});
}

}  // namespace exam
