#include "recording/nal_units.hpp"

namespace exam {

void for_each_nal_unit(const std::uint8_t* data, std::size_t size,
                       const std::function<bool(const std::uint8_t*, std::size_t)>& visit) {
    std::size_t begin = 0;
    bool open = false;
    const auto close = [&](std::size_t end) {
        if (!open) {
            return true;
        }
        while (end > begin && data[end - 1] == 0) {
            --end;  // the zero before a four-byte start code, or trailing zeros
        }
        return end <= begin || visit(data + begin, end - begin);
    };
    for (std::size_t i = 0; i + 2 < size; ++i) {
        if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
            if (!close(i)) {
                return;
            }
            begin = i + 3;
            open = true;
            i += 2;
        }
    }
    close(size);
}

int nal_unit_type(VideoCodec codec, const std::uint8_t* nal) {
    return codec == VideoCodec::h264 ? nal[0] & 0x1f : (nal[0] >> 1) & 0x3f;
}

bool is_slice(VideoCodec codec, int nal_unit_type) {
    // H.264: types 1-5 are slices (7.4.1); H.265: 0-31 are VCL units (7.4.2.2).
    return codec == VideoCodec::h264 ? nal_unit_type >= 1 && nal_unit_type <= 5
                                     : nal_unit_type < 32;
}

BitReader::BitReader(const std::uint8_t* payload, std::size_t size) {
    m_rbsp.reserve(size);
    int zeros = 0;
    for (std::size_t i = 0; i < size; ++i) {
        if (zeros >= 2 && payload[i] == 3) {
            zeros = 0;  // an emulation prevention byte: not part of the payload
            continue;
        }
        zeros = payload[i] == 0 ? zeros + 1 : 0;
        m_rbsp.push_back(payload[i]);
    }
}

std::uint32_t BitReader::bits(int count) {
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i) {
        const std::size_t byte = m_position / 8;
        std::uint32_t bit = 0;
        if (byte < m_rbsp.size()) {
            bit = (static_cast<std::uint32_t>(m_rbsp[byte]) >> (7 - m_position % 8)) & 1U;
        } else {
            m_overrun = true;
        }
        ++m_position;
        value = (value << 1) | bit;
    }
    return value;
}

void BitReader::skip(std::size_t count) {
    m_position += count;
    if (m_position > m_rbsp.size() * 8) {
        m_overrun = true;
    }
}

std::uint32_t BitReader::unsigned_golomb() {
    int leading_zeros = 0;
    while (bits(1) == 0) {
        if (m_overrun || ++leading_zeros > 31) {
            m_overrun = true;  // longer than any value a parameter set may hold
            return 0;
        }
    }
    return static_cast<std::uint32_t>((std::uint64_t{1} << leading_zeros) - 1 +
                                      bits(leading_zeros));
}

std::int32_t BitReader::signed_golomb() {
    const std::uint32_t code = unsigned_golomb();
    // 1, 2, 3, 4 ... stand for 1, -1, 2, -2 ...
    const auto magnitude = static_cast<std::int32_t>((code + 1) / 2);
    return code % 2 == 1 ? magnitude : -magnitude;
}

H265Picture h265_picture_in(const std::uint8_t* data, std::size_t size) {
    H265Picture kind = H265Picture::unknown;
    for_each_nal_unit(data, size, [&](const std::uint8_t* nal, std::size_t length) {
        if (length < 2) {
            return true;
        }
        const int type = nal_unit_type(VideoCodec::h265, nal);
        if (!is_slice(VideoCodec::h265, type)) {
            return true;
        }
        switch (type) {
            case 8:
            case 9: kind = H265Picture::skipped_leading; break;  // RASL_N, RASL_R
            case 21: kind = H265Picture::clean_random_access; break;
            case 16: kind = H265Picture::broken_link_with_leading; break;
            case 17:
            case 18:  // BLA_W_RADL, BLA_N_LP
            case 19:
            case 20: kind = H265Picture::instant_refresh; break;  // IDR_W_RADL, IDR_N_LP
            default: kind = H265Picture::ordinary; break;
        }
        return false;  // every slice of a picture has the same type
    });
    return kind;
}

}  // namespace exam
