#include "recording/decode_times.hpp"
#include <algorithm>

namespace exam {

DecodeTimes::DecodeTimes(int reorder_depth) : m_depth(std::max(reorder_depth, 0)) {}

void DecodeTimes::push(std::int64_t presentation_time) {
    m_latest.insert(std::upper_bound(m_latest.begin(), m_latest.end(), presentation_time),
                    presentation_time);
    if (m_latest.size() > static_cast<std::size_t>(m_depth) + 1) {
        m_latest.erase(m_latest.begin());
    }
    if (m_steady) {
        give(m_latest.front());
        return;
    }
    ++m_waiting;
    if (m_waiting == static_cast<std::size_t>(m_depth) + 1) {
        // All of the first N+1 pictures are in m_latest: the earliest of them is shown first
        // and is the decoding time of the (N+1)-th; the N before it come before that.
        extrapolate(m_waiting - 1);
        give(m_latest.front());
        m_waiting = 0;
        m_steady = true;
    }
}

std::optional<std::int64_t> DecodeTimes::pop() {
    if (m_ready.empty()) {
        return std::nullopt;
    }
    const std::int64_t time = m_ready.front();
    m_ready.pop_front();
    return time;
}

void DecodeTimes::flush() {
    if (m_waiting > 0) {
        // Fewer than N+1 pictures: the earliest of them is the last one's decoding time.
        extrapolate(m_waiting - 1);
        give(m_latest.front());
        m_waiting = 0;
    }
}

void DecodeTimes::restart(int reorder_depth) {
    flush();
    m_depth = std::max(reorder_depth, 0);
    m_latest.clear();
    m_steady = false;
    // The pictures after are written into a segment of their own: their times may start
    // below those before.
    m_last.reset();
}

// `count` decoding times below the earliest presentation time in m_latest, one frame interval
// apart: the smallest step between two presentation times seen (1 when none is seen).
void DecodeTimes::extrapolate(std::size_t count) {
    std::int64_t step = 0;
    for (std::size_t i = 1; i < m_latest.size(); ++i) {
        const std::int64_t difference = m_latest[i] - m_latest[i - 1];
        if (difference > 0 && (step == 0 || difference < step)) {
            step = difference;
        }
    }
    step = std::max<std::int64_t>(step, 1);
    for (std::size_t i = count; i > 0; --i) {
        give(m_latest.front() - static_cast<std::int64_t>(i) * step);
    }
}

void DecodeTimes::give(std::int64_t decoding_time) {
    if (m_last && decoding_time <= *m_last) {
        decoding_time = *m_last + 1;  // a repeated timestamp: decoding times must rise
    }
    m_last = decoding_time;
    m_ready.push_back(decoding_time);
}

}  // namespace exam
