#include <cstdint>

#include <exam/core/recording_plan.hpp>

namespace exam {

RecordingPlan plan_recording(std::span<const Camera* const> cameras, const ExamTimes& exam,
                             const RecordingSettings& settings, TimePoint from) {
    RecordingPlan plan;
    const TimePoint until = exam.end + settings.after_end;
    plan.window = std::chrono::duration_cast<Milliseconds>(until > from ? until - from
                                                                        : TimePoint::duration{0});
    for (const Camera* camera : cameras) {
        plan.bits_per_second += camera->bitrate;
    }
    const double seconds = static_cast<double>(plan.window.count()) / 1000.0;
    const double bytes = static_cast<double>(plan.bits_per_second) / 8.0 * seconds;
    // Beyond any disk either way; the cast of a larger double would be undefined.
    plan.recording_bytes = bytes >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(bytes);
    return plan;
}

std::vector<const Camera*> all_cameras(const Site& site) {
    std::vector<const Camera*> cameras;
    for (const Room& room : site.rooms) {
        for (const Camera& camera : room.cameras) {
            cameras.push_back(&camera);
        }
    }
    return cameras;
}

}  // namespace exam
