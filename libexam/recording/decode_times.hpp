// Decoding times for pictures that arrive in decoding order with their presentation times only
// (an RTP timestamp is the presentation time). With a reorder depth N (reorder_depth.hpp), the
// decoding time of the i-th picture is the presentation time of the (i-N)-th picture in
// presentation order — the (N+1)-th latest presentation time seen so far, as FFmpeg's demuxers
// derive it. The first N pictures have no such picture: their decoding times are extrapolated
// below the earliest presentation time, one frame interval apart, which needs the first N+1
// pictures seen; after them each picture gets its time as it comes. Decoding times strictly
// rise (a camera that repeats a timestamp gets the next tick) and never exceed presentation
// times on a stream that keeps within its depth.
// Private to libexam-recording; no FFmpeg, so that it is unit-tested and fuzzed.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace exam {

class DecodeTimes {
public:
    explicit DecodeTimes(int reorder_depth = 0);

    // The next picture, in decoding order.
    void push(std::int64_t presentation_time);
    // The decoding time of the oldest picture pushed that has none yet, once it is known.
    std::optional<std::int64_t> pop();
    // Gives the pictures still waiting for theirs (the first ones) decoding times now: at the
    // end of the stream.
    void flush();
    // New parameter sets with another depth (a new segment starts there): the pictures before
    // are flushed, and the times start again, as at the start of a stream.
    void restart(int reorder_depth);

    [[nodiscard]] int reorder_depth() const { return m_depth; }

private:
    void extrapolate(std::size_t count);
    void give(std::int64_t decoding_time);

    int m_depth;
    std::vector<std::int64_t> m_latest;  // the N+1 latest presentation times, ascending
    std::size_t m_waiting = 0;           // pictures at the start still without a time
    bool m_steady = false;               // the first N+1 pictures have been seen
    std::deque<std::int64_t> m_ready;
    std::optional<std::int64_t> m_last;  // the last decoding time given
};

}  // namespace exam
