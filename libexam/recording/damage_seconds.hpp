// The seconds in which a camera's stream lost packets, gathered into the index's damage rows:
// consecutive seconds with losses become one row, finished once a whole second has passed
// without one (or when the connection ends). Pure arithmetic on the times it is told; the
// recorder writes the rows from the camera's own thread. Private to libexam-recording.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <exam/recording/segment_index.hpp>
#include <exam/util/recorded_text.hpp>

namespace exam {

class DamageSeconds {
public:
    DamageSeconds(std::string camera, std::string room)
        : m_camera(std::move(camera)), m_room(std::move(room)) {}

    // `lost` packets found missing at `now` (0: none since the last call). A run of damaged
    // seconds that has ended by `now`, for the index.
    std::optional<DamageRecord> note(std::uint64_t lost, TimePoint now);
    // The run still open, if any (the connection ended).
    std::optional<DamageRecord> finish();

private:
    std::string m_camera;
    std::string m_room;
    std::optional<TimePoint> m_first_second;  // of the open run
    TimePoint m_last_second;
    std::uint64_t m_lost = 0;
};

// A camera's damaged seconds written into the index of its recordings as their runs end; an
// index that refuses a row is said through `on_problem`, and recording goes on.
class DamageLog {
public:
    DamageLog(std::string camera, std::string room, std::filesystem::path recordings,
              std::function<void(const RecordedText&)> on_problem)
        : m_seconds(std::move(camera), std::move(room)),
          m_recordings(std::move(recordings)),
          m_on_problem(std::move(on_problem)) {}
    void note(std::uint64_t lost, TimePoint now) { write(m_seconds.note(lost, now)); }
    void finish() { write(m_seconds.finish()); }

private:
    void write(const std::optional<DamageRecord>& row);

    DamageSeconds m_seconds;
    std::filesystem::path m_recordings;
    std::function<void(const RecordedText&)> m_on_problem;
};

}  // namespace exam
