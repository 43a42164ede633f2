#include "recording/damage_seconds.hpp"
#include <algorithm>

#include <exam/util/error.hpp>

namespace exam {

std::optional<DamageRecord> DamageSeconds::note(std::uint64_t lost, TimePoint now) {
    const TimePoint second = std::chrono::floor<std::chrono::seconds>(now);
    std::optional<DamageRecord> finished;
    // The open run ends with a second that had no loss: one that has wholly passed.
    if (m_first_second && second > m_last_second + std::chrono::seconds{1}) {
        finished = finish();
    }
    if (lost == 0) {
        return finished;
    }
    if (!m_first_second) {
        m_first_second = second;
        m_last_second = second;
    }
    m_last_second = std::max(m_last_second, second);
    m_lost += lost;
    return finished;
}

std::optional<DamageRecord> DamageSeconds::finish() {
    if (!m_first_second) {
        return std::nullopt;
    }
    DamageRecord record{.camera = m_camera,
                        .room = m_room,
                        .started = *m_first_second,
                        .ended = m_last_second + std::chrono::seconds{1},
                        .packets_lost = m_lost};
    m_first_second.reset();
    m_lost = 0;
    return record;
}

void DamageLog::write(const std::optional<DamageRecord>& row) {
    if (!row) {
        return;
    }
    try {
        SegmentIndex::open(m_recordings).add_damage(*row);
    } catch (const Error& e) {
        m_on_problem(recorded_text(e));
    }
}

}  // namespace exam
