// RTP packets of a camera's sound: AAC (RFC 3640, AU headers of the layouts the recorder
// accepts) or G.711. Input: two bytes choosing the codec and the AU-header layout, then
// packets, each preceded by its length in two bytes (big-endian).
#include "fuzz_support.hpp"
#include "recording/audio_depacketizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const exam::AudioCodec codec = data[0] % 3 == 0   ? exam::AudioCodec::aac
                                   : data[0] % 3 == 1 ? exam::AudioCodec::pcmu
                                                      : exam::AudioCodec::pcma;
    exam::AacHeaderFormat format;
    if ((data[1] & 0x80) != 0) {  // AAC-lbr's layout, else AAC-hbr's (the default)
        format = {.size_length = 6, .index_length = 2, .index_delta_length = 2};
    }
    if ((data[1] & 0x40) != 0) {  // any layout, refused or not
        format = {.size_length = data[1] & 31,
                  .index_length = (data[1] >> 2) & 15,
                  .index_delta_length = data[1] & 15};
    }
    if (!exam::is_supported(format)) {
        return 0;
    }
    exam::AudioDepacketizer depacketizer{97, codec, format};
    std::size_t at = 2;
    while (at + 2 <= size) {
        const std::size_t length = std::min<std::size_t>(
            static_cast<std::size_t>((data[at] << 8) | data[at + 1]), size - at - 2);
        depacketizer.push(data + at + 2, length);
        at += 2 + length;
        while (depacketizer.next()) {
        }
    }
    return 0;
}
