#include "recording/reorder_depth.hpp"
#include <algorithm>
#include <array>
#include <utility>

#include "recording/nal_units.hpp"

namespace exam {
namespace {

// Profiles whose SPS carries chroma format, bit depths and scaling lists (H.264 7.3.2.1.1).
bool has_chroma_format(std::uint32_t profile) {
    constexpr std::array<std::uint32_t, 13> k_profiles{100, 110, 122, 244, 44,  83, 86,
                                                       118, 128, 138, 139, 134, 135};
    return std::find(k_profiles.begin(), k_profiles.end(), profile) != k_profiles.end();
}

void skip_scaling_list(BitReader& bits, int entries) {
    int last = 8;
    int next = 8;
    for (int j = 0; j < entries && !bits.overrun(); ++j) {
        if (next != 0) {
            next = (last + bits.signed_golomb() + 256) % 256;
        }
        last = next == 0 ? last : next;
    }
}

void skip_hrd_parameters(BitReader& bits) {
    const std::uint32_t count = bits.unsigned_golomb() + 1;  // cpb_cnt_minus1 + 1, at most 32
    if (count > 32) {
        bits.skip(1U << 20);  // nonsense: overrun
        return;
    }
    bits.skip(8);  // bit_rate_scale, cpb_size_scale
    for (std::uint32_t i = 0; i < count && !bits.overrun(); ++i) {
        bits.unsigned_golomb();  // bit_rate_value_minus1
        bits.unsigned_golomb();  // cpb_size_value_minus1
        bits.skip(1);            // cbr_flag
    }
    bits.skip(20);  // four delay and offset lengths of five bits
}

// MaxDpbMbs of H.264 Table A-1, by level_idc (9 and "11 with constraint_set3" are level 1b).
std::optional<std::uint32_t> largest_picture_buffer(std::uint32_t level, bool level_1b) {
    if (level_1b) {
        return 396;
    }
    constexpr std::array<std::pair<std::uint32_t, std::uint32_t>, 20> k_levels{{
        {9, 396},     {10, 396},    {11, 900},    {12, 2376},   {13, 2376},
        {20, 2376},   {21, 4752},   {22, 8100},   {30, 8100},   {31, 18000},
        {32, 20480},  {40, 32768},  {41, 32768},  {42, 34816},  {50, 110400},
        {51, 184320}, {52, 184320}, {60, 696320}, {61, 696320}, {62, 696320},
    }};
    for (const auto& [idc, macroblocks] : k_levels) {
        if (idc == level) {
            return macroblocks;
        }
    }
    return std::nullopt;
}

std::optional<int> checked(const BitReader& bits, std::uint32_t depth) {
    if (bits.overrun() || depth > k_deepest_reorder) {
        return std::nullopt;
    }
    return static_cast<int>(depth);
}

}  // namespace

std::optional<int> h264_reorder_depth(const std::uint8_t* sps, std::size_t size) {
    if (size < 4 || nal_unit_type(VideoCodec::h264, sps) != 7) {
        return std::nullopt;
    }
    BitReader bits{sps + 1, size - 1};
    const std::uint32_t profile = bits.bits(8);
    const std::uint32_t constraints = bits.bits(8);
    const bool constraint_set3 = (constraints & 0x10) != 0;
    const std::uint32_t level = bits.bits(8);
    bits.unsigned_golomb();  // seq_parameter_set_id
    if (has_chroma_format(profile)) {
        const std::uint32_t chroma_format = bits.unsigned_golomb();
        if (chroma_format == 3) {
            bits.skip(1);  // separate_colour_plane_flag
        }
        bits.unsigned_golomb();  // bit_depth_luma_minus8
        bits.unsigned_golomb();  // bit_depth_chroma_minus8
        bits.skip(1);            // qpprime_y_zero_transform_bypass_flag
        if (bits.flag()) {       // seq_scaling_matrix_present_flag
            const int lists = chroma_format != 3 ? 8 : 12;
            for (int i = 0; i < lists && !bits.overrun(); ++i) {
                if (bits.flag()) {
                    skip_scaling_list(bits, i < 6 ? 16 : 64);
                }
            }
        }
    }
    bits.unsigned_golomb();  // log2_max_frame_num_minus4
    const std::uint32_t order_count_type = bits.unsigned_golomb();
    if (order_count_type == 0) {
        bits.unsigned_golomb();  // log2_max_pic_order_cnt_lsb_minus4
    } else if (order_count_type == 1) {
        bits.skip(1);  // delta_pic_order_always_zero_flag
        bits.signed_golomb();
        bits.signed_golomb();
        const std::uint32_t cycle = bits.unsigned_golomb();
        if (cycle > 255) {
            return std::nullopt;
        }
        for (std::uint32_t i = 0; i < cycle && !bits.overrun(); ++i) {
            bits.signed_golomb();  // offset_for_ref_frame
        }
    }
    bits.unsigned_golomb();  // max_num_ref_frames
    bits.skip(1);            // gaps_in_frame_num_value_allowed_flag
    const std::uint32_t width_in_macroblocks = bits.unsigned_golomb() + 1;
    const std::uint32_t height_in_map_units = bits.unsigned_golomb() + 1;
    const bool frames_only = bits.flag();
    if (!frames_only) {
        bits.skip(1);  // mb_adaptive_frame_field_flag
    }
    bits.skip(1);       // direct_8x8_inference_flag
    if (bits.flag()) {  // frame_cropping_flag
        for (int i = 0; i < 4; ++i) {
            bits.unsigned_golomb();
        }
    }
    if (bits.flag()) {      // vui_parameters_present_flag (E.1.1)
        if (bits.flag()) {  // aspect_ratio_info_present_flag
            if (bits.bits(8) == 255) {
                bits.skip(32);  // sar_width, sar_height
            }
        }
        if (bits.flag()) {  // overscan_info_present_flag
            bits.skip(1);
        }
        if (bits.flag()) {  // video_signal_type_present_flag
            bits.skip(4);
            if (bits.flag()) {  // colour_description_present_flag
                bits.skip(24);
            }
        }
        if (bits.flag()) {  // chroma_loc_info_present_flag
            bits.unsigned_golomb();
            bits.unsigned_golomb();
        }
        if (bits.flag()) {  // timing_info_present_flag
            bits.skip(65);
        }
        const bool nal_hrd = bits.flag();
        if (nal_hrd) {
            skip_hrd_parameters(bits);
        }
        const bool vcl_hrd = bits.flag();
        if (vcl_hrd) {
            skip_hrd_parameters(bits);
        }
        if (nal_hrd || vcl_hrd) {
            bits.skip(1);  // low_delay_hrd_flag
        }
        bits.skip(1);       // pic_struct_present_flag
        if (bits.flag()) {  // bitstream_restriction_flag
            bits.skip(1);   // motion_vectors_over_pic_boundaries_flag
            for (int i = 0; i < 4; ++i) {
                bits.unsigned_golomb();  // max bytes and bits, longest motion vectors
            }
            return checked(bits, bits.unsigned_golomb());  // max_num_reorder_frames
        }
    }
    if (bits.overrun()) {
        return std::nullopt;
    }
    // Inferred (E.2.1). Baseline has no B-slices: nothing is ever reordered.
    constexpr std::uint32_t k_baseline = 66;
    const bool intra_only = constraint_set3 && (profile == 44 || profile == 86 || profile == 100 ||
                                                profile == 110 || profile == 122 || profile == 244);
    if (profile == k_baseline || intra_only) {
        return 0;
    }
    const std::uint32_t frame_macroblocks =
        width_in_macroblocks * height_in_map_units * (frames_only ? 1 : 2);
    const bool level_1b = level == 11 && constraint_set3;
    const auto buffer = largest_picture_buffer(level, level_1b);
    if (!buffer || frame_macroblocks == 0) {
        return k_deepest_reorder;  // a level this table does not know: the most there can be
    }
    return static_cast<int>(
        std::min<std::uint32_t>(*buffer / frame_macroblocks, k_deepest_reorder));
}

std::optional<int> h265_reorder_depth(const std::uint8_t* sps, std::size_t size) {
    if (size < 4 || nal_unit_type(VideoCodec::h265, sps) != 33) {
        return std::nullopt;
    }
    BitReader bits{sps + 2, size - 2};
    bits.skip(4);  // sps_video_parameter_set_id
    const std::uint32_t sub_layers = bits.bits(3) + 1;
    bits.skip(1);  // sps_temporal_id_nesting_flag
    // profile_tier_level (7.3.3): the general profile, then what each sub-layer says.
    bits.skip(88);  // profile space, tier, profile, compatibility and constraint flags
    bits.skip(8);   // general_level_idc
    std::array<bool, 8> profile_present{};
    std::array<bool, 8> level_present{};
    for (std::uint32_t i = 0; i + 1 < sub_layers; ++i) {
        profile_present[i] = bits.flag();
        level_present[i] = bits.flag();
    }
    if (sub_layers > 1) {
        bits.skip(2 * (9 - sub_layers));  // reserved_zero_2bits up to eight sub-layers
    }
    for (std::uint32_t i = 0; i + 1 < sub_layers; ++i) {
        bits.skip(profile_present[i] ? 88 : 0);
        bits.skip(level_present[i] ? 8 : 0);
    }
    bits.unsigned_golomb();             // sps_seq_parameter_set_id
    if (bits.unsigned_golomb() == 3) {  // chroma_format_idc
        bits.skip(1);                   // separate_colour_plane_flag
    }
    bits.unsigned_golomb();  // pic_width_in_luma_samples
    bits.unsigned_golomb();  // pic_height_in_luma_samples
    if (bits.flag()) {       // conformance_window_flag
        for (int i = 0; i < 4; ++i) {
            bits.unsigned_golomb();
        }
    }
    bits.unsigned_golomb();  // bit_depth_luma_minus8
    bits.unsigned_golomb();  // bit_depth_chroma_minus8
    bits.unsigned_golomb();  // log2_max_pic_order_cnt_lsb_minus4
    // With the ordering info of every sub-layer, the highest one's (the whole stream's) is last;
    // without, the one given applies to all.
    const bool every_sub_layer = bits.flag();
    std::uint32_t depth = 0;
    for (std::uint32_t i = every_sub_layer ? 0 : sub_layers - 1; i < sub_layers; ++i) {
        bits.unsigned_golomb();  // sps_max_dec_pic_buffering_minus1
        depth = bits.unsigned_golomb();
        bits.unsigned_golomb();  // sps_max_latency_increase_plus1
        if (bits.overrun()) {
            break;
        }
    }
    return checked(bits, depth);
}

std::optional<int> reorder_depth_in(VideoCodec codec, const std::uint8_t* data, std::size_t size) {
    std::optional<int> depth;
    for_each_nal_unit(data, size, [&](const std::uint8_t* nal, std::size_t length) {
        const int type = nal_unit_type(codec, nal);
        if (is_slice(codec, type)) {
            return false;  // parameter sets come before the picture's slices
        }
        if (codec == VideoCodec::h264 && type == 7) {
            depth = h264_reorder_depth(nal, length);
            return false;
        }
        if (codec == VideoCodec::h265 && type == 33) {
            depth = h265_reorder_depth(nal, length);
            return false;
        }
        return true;
    });
    return depth;
}

}  // namespace exam
