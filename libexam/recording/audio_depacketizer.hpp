// RTP to audio frames, as FFmpeg's decoders and the MP4 muxer take them: AAC from RFC 3640's
// MPEG4-GENERIC (AAC-hbr and AAC-lbr: a section of AU-headers — each an AU-size of
// `sizelength` bits and an AU-index of `indexlength` bits, AU-index-delta for the next ones —
// then the access units one after another; several frames in one packet, or one frame
// fragmented over several up to the marker bit), and G.711 (RFC 3551's PCMU and PCMA: the
// payload is the samples, one byte each). A frame's RTP time is the packet's plus 1024 samples
// per frame before it in the packet.
// Every size a camera writes is untrusted: frames past k_largest_audio_frame, and packets whose
// headers do not add up, are dropped and counted (camera_limits.hpp), so memory stays bounded
// whatever the camera sends.
// Private to libexam-recording; knows nothing of FFmpeg, so that it is tested on crafted bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <exam/util/recorded_text.hpp>

namespace exam {

enum class AudioCodec { aac, pcmu, pcma };

// RFC 3640's format parameters for the AU-headers (the fmtp line's sizelength, indexlength,
// indexdeltalength); AAC-hbr's values by default.
struct AacHeaderFormat {
    int size_length = 13;
    int index_length = 3;
    int index_delta_length = 3;
};

struct AudioFrame {
    std::vector<std::uint8_t> data;
    std::uint32_t rtp_time = 0;
};

// AAC's AudioSpecificConfig from the fmtp line's config= (hex): nullopt when it is not hex,
// is empty or longer than k_longest_audio_config.
std::optional<std::vector<std::uint8_t>> parse_audio_config(std::string_view hex);

// Whether the AU-header lengths are ones this reader takes (sizes of 1 to 16 bits, indexes
// of 0 to 8): a camera's other values are refused rather than read as garbage.
bool is_supported(const AacHeaderFormat& format);

struct AudioDescription;

// Why the sound a camera's session description names is not kept (empty when it can be): its
// codec (MPEG4-GENERIC in AAC-hbr or AAC-lbr, PCMU and PCMA are), rate, channels or
// AU-header layout, in words.
RecordedText audio_not_kept(const AudioDescription& audio);

class AudioDepacketizer {
public:
    AudioDepacketizer(int payload_type, AudioCodec codec, AacHeaderFormat format = {})
        : m_payload_type(payload_type), m_codec(codec), m_format(format) {}

    // One RTP packet as it came off the wire. Packets of another payload type and malformed
    // ones are dropped (and counted); so is a fragmented frame missing a part.
    void push(const std::uint8_t* packet, std::size_t size);
    // The next frame, oldest first.
    std::optional<AudioFrame> next();

    [[nodiscard]] std::uint64_t packets_lost() const { return m_lost; }
    // Packets or frames dropped because they made no sense or were too large.
    [[nodiscard]] std::uint64_t malformed() const { return m_malformed; }

private:
    void take_aac(const std::uint8_t* payload, std::size_t length, std::uint32_t rtp_time,
                  bool marker);
    void take_fragment(const std::uint8_t* data, std::size_t length, std::uint32_t rtp_time,
                       bool marker);
    void add_frame(const std::uint8_t* data, std::size_t length, std::uint32_t rtp_time);

    int m_payload_type;
    AudioCodec m_codec;
    AacHeaderFormat m_format;
    std::deque<AudioFrame> m_done;
    std::optional<std::uint16_t> m_sequence;  // of the last packet taken
    // An AAC frame fragmented over several packets: what has come, and the size it will have.
    std::optional<AudioFrame> m_fragment;
    std::size_t m_fragment_size = 0;
    std::uint64_t m_lost = 0;
    std::uint64_t m_malformed = 0;
};

}  // namespace exam
