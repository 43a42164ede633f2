// How many pictures an H.264 or H.265 stream may send before one that is shown earlier (its
// reorder depth: 0 without B-frames), read from its sequence parameter set. The RTP timestamp is
// a picture's presentation time; with this number the decoding times follow (decode_times.hpp).
// Private to libexam-recording; no FFmpeg, so that it is tested on real SPS bytes and fuzzed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "recording/rtp_depacketizer.hpp"

namespace exam {

// The most a stream may reorder: H.264's and H.265's decoded picture buffers hold 16 pictures.
constexpr int k_deepest_reorder = 16;

// H.264 (ITU-T H.264 7.3.2.1.1, E.1.1): max_num_reorder_frames of the VUI's bitstream
// restriction; when absent, as E.2.1 infers it — 0 for the profiles without B-slices
// (Baseline, Constrained Baseline) and for intra-only ones, otherwise MaxDpbFrames, the pictures
// the level's decoded picture buffer holds at this size. `sps`: the NAL unit, header included.
// nullopt when the bytes are not a sequence parameter set this parser reads through.
std::optional<int> h264_reorder_depth(const std::uint8_t* sps, std::size_t size);

// H.265 (ITU-T H.265 7.3.2.2): sps_max_num_reorder_pics of the highest sub-layer.
std::optional<int> h265_reorder_depth(const std::uint8_t* sps, std::size_t size);

// The reorder depth the first sequence parameter set of an Annex B buffer (an access unit, or
// parameter sets as extradata) gives; nullopt when it holds none before its first slice, or none
// that parses.
std::optional<int> reorder_depth_in(VideoCodec codec, const std::uint8_t* data, std::size_t size);

}  // namespace exam
