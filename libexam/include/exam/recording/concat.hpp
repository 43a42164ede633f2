// One camera's segments joined into a few MP4 files for a time range (`exam-camera export
// --concat`): remuxed, never re-encoded, the picture and the sound as recorded. Lives in
// libexam-recording (FFmpeg's libavformat), which only exam-camera links.
//
// The joined files ("parts"):
// - start at the keyframe at or before the range's start (a player needs it to show the first
//   picture), so the first part may begin up to a GOP before the range; they end with the last
//   packet before the range's end, cut at packet level;
// - follow each other in time: a segment's first picture follows the one before's last a frame
//   later when the server's clock says they are less than half a second apart (its jitter);
//   a longer gap, up to k_longest_gap_within_a_part, keeps its length in the timestamps (the
//   last picture stays on screen); a longer one starts a new part, so a part never hides an
//   outage. Within a part, time therefore runs on the camera's clock, reset to the server's
//   at each kept gap;
// - start anew, too, where the stream changes (another size or codec, sound that comes or
//   goes: an MP4 file has one set of tracks), and before a part would pass max_part_bytes —
//   always at a keyframe, so that each part plays on its own. A single GOP larger than the limit
//   still goes whole into a part of its own;
// - carry the sound when the segments have it (AAC, as recorded);
// - are deterministic (bit-exact muxing, no creation time): the same segments and range give
//   the same bytes, so an export that resumes makes the same files again;
// - are written as NAME.partial, synced, renamed and their folder synced: a part that exists
//   under its name is whole.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <exam/core/recording_window.hpp>
#include <exam/export.hpp>
#include <exam/util/time.hpp>

namespace exam {

// A segment as the index knows it: the file, its wall-clock start and end, its hash.
struct ConcatSource {
    std::filesystem::path file;
    TimePoint start;
    TimePoint end;
    std::string sha256;
};

// A joined file as written: its wall-clock span (its first packet to the end of its last
// picture), size, the hashes of the segments it was made from, whether it carries sound.
struct ConcatPart {
    std::filesystem::path file;
    TimePoint start;
    TimePoint end;
    std::uint64_t bytes = 0;
    std::vector<std::string> source_sha256;
    bool audio = false;
};

struct ConcatRequest {
    std::vector<ConcatSource> segments;            // one camera's segments in time order
    TimeRange range;                               // exam/core/recording_window.hpp
    std::filesystem::path folder;                  // where the parts are written
    std::string base_name;                         // parts are base_name + "_1.mp4", "_2.mp4", ...
    std::uint64_t max_part_bytes = 4'000'000'000;  // FAT32 takes files below 4 GiB
};

// A gap between two segments longer than this starts a new part.
inline constexpr std::chrono::seconds k_longest_gap_within_a_part{3};

// The parts in order; none when no segment has a packet in the range. Throws InputError for a
// segment that cannot be read (naming it), StorageError for a part that cannot be written.
EXAM_EXPORT std::vector<ConcatPart> concat_segments(const ConcatRequest& request);

}  // namespace exam
