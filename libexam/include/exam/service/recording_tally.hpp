// The recorder's running figures per camera, for the operator's terminal: a heartbeat line
// while it records (cameras with a picture, bytes, gaps) and a summary per camera when it
// stops. Fed from the recorder's callbacks on every camera's thread: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <ostream>
#include <string>

#include <exam/export.hpp>
#include <exam/recording/recorder.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/duration.hpp>

namespace exam {

class EXAM_EXPORT RecordingTally {
public:
    void switched(const CameraSource& camera, const CameraSwitch& change);
    void picture(const CameraSource& camera, bool has_picture);
    void segment(const SegmentRecord& segment);
    void gap(const GapRecord& gap);

    // "2 of 3 cameras recording; 1.2 GB in 42 segments; 1 gap (35s)".
    [[nodiscard]] std::string heartbeat() const;
    // One line per camera: "0101/front: 12 segments, 240 MB, no gaps".
    void write_summary(std::ostream& out) const;

private:
    struct Camera {
        std::string room;
        bool on = false;
        bool has_picture = false;
        std::uint64_t segments = 0;
        std::uint64_t bytes = 0;
        std::uint64_t gaps = 0;
        Milliseconds gap_time{};
    };
    Camera& camera_locked(const std::string& room, const std::string& camera);

    mutable std::mutex m_mutex;
    std::map<std::string, Camera> m_cameras;  // by camera id: the summary comes out sorted
};

}  // namespace exam
