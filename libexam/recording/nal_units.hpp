// NAL units of H.264 and H.265 Annex B access units, and the bits inside them: just enough to
// read what the recorder needs of the pictures it copies (which parameter sets, which kind of
// picture) without decoding and without FFmpeg, so that it is tested on real bytes and fuzzed.
// Private to libexam-recording.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "recording/rtp_depacketizer.hpp"

namespace exam {

// Calls `visit` for each NAL unit of an Annex B buffer (header first, start code and the zeros
// before the next start code left out), in order, until it returns false.
void for_each_nal_unit(const std::uint8_t* data, std::size_t size,
                       const std::function<bool(const std::uint8_t*, std::size_t)>& visit);

// The NAL unit type: H.264 five bits of the first byte, H.265 six bits of the first two.
int nal_unit_type(VideoCodec codec, const std::uint8_t* nal);

// Whether a NAL unit carries a slice (a picture's coded data), rather than a parameter set,
// a delimiter or supplemental information.
bool is_slice(VideoCodec codec, int nal_unit_type);

// The bits of a NAL unit's payload (its RBSP: the emulation prevention bytes 00 00 03 taken
// out), read as H.264 and H.265 write them: fixed widths and Exp-Golomb codes. Reading past
// the end yields zeros and sets overrun(), so that a parser checks once at its end.
class BitReader {
public:
    // `payload`: the NAL unit without its header.
    BitReader(const std::uint8_t* payload, std::size_t size);

    std::uint32_t bits(int count);  // count <= 32
    bool flag() { return bits(1) != 0; }
    void skip(std::size_t count);
    std::uint32_t unsigned_golomb();  // ue(v)
    std::int32_t signed_golomb();     // se(v)
    [[nodiscard]] bool overrun() const { return m_overrun; }

private:
    std::vector<std::uint8_t> m_rbsp;
    std::size_t m_position = 0;  // in bits
    bool m_overrun = false;
};

// H.265's kinds of pictures that matter where a segment may start (ITU-T H.265 7.4.2.2).
enum class H265Picture {
    unknown,              // no slice found (or not Annex B)
    ordinary,             // a trailing picture, or a leading one that decodes from its IRAP (RADL)
    skipped_leading,      // RASL: references pictures before its CRA or BLA
    clean_random_access,  // CRA: may be followed by RASL pictures
    broken_link_with_leading,  // BLA_W_LP: its RASL pictures never decode
    instant_refresh,  // IDR, or a BLA without RASL pictures: nothing before it is referenced
};

// The kind of the picture in an Annex B access unit, from its first slice.
H265Picture h265_picture_in(const std::uint8_t* data, std::size_t size);

}  // namespace exam
