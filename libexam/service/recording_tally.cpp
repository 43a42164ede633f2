#include <exam/service/recording_tally.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

std::string gaps_text(std::uint64_t gaps, Milliseconds time) {
    if (gaps == 0) {
        return _("no gaps");
    }
    return _f("{} ({})", fmt::format(fmt::runtime(_n("{} gap", "{} gaps", gaps)), gaps),
              format_span(time));
}

}  // namespace

RecordingTally::Camera& RecordingTally::camera_locked(const std::string& room,
                                                      const std::string& camera) {
    Camera& found = m_cameras[camera];
    found.room = room;
    return found;
}

void RecordingTally::switched(const CameraSource& camera, const CameraSwitch& change) {
    const std::lock_guard lock{m_mutex};
    Camera& tallied = camera_locked(camera.room, camera.camera);
    tallied.on = change.on;
    if (!change.on) {
        tallied.has_picture = false;
    }
}

void RecordingTally::picture(const CameraSource& camera, bool has_picture) {
    const std::lock_guard lock{m_mutex};
    camera_locked(camera.room, camera.camera).has_picture = has_picture;
}

void RecordingTally::segment(const SegmentRecord& segment) {
    const std::lock_guard lock{m_mutex};
    Camera& tallied = camera_locked(segment.room, segment.camera);
    ++tallied.segments;
    tallied.bytes += segment.bytes;
}

void RecordingTally::gap(const GapRecord& gap) {
    const std::lock_guard lock{m_mutex};
    Camera& tallied = camera_locked(gap.room, gap.camera);
    ++tallied.gaps;
    tallied.gap_time += std::chrono::duration_cast<Milliseconds>(gap.ended - gap.started);
}

std::string RecordingTally::heartbeat() const {
    const std::lock_guard lock{m_mutex};
    std::uint64_t recording = 0;
    std::uint64_t segments = 0;
    std::uint64_t bytes = 0;
    std::uint64_t gaps = 0;
    Milliseconds gap_time{};
    for (const auto& [id, camera] : m_cameras) {
        recording += camera.on && camera.has_picture ? 1 : 0;
        segments += camera.segments;
        bytes += camera.bytes;
        gaps += camera.gaps;
        gap_time += camera.gap_time;
    }
    return _f("{} of {} cameras recording; {} in {}; {}", recording, m_cameras.size(),
              format_byte_size(bytes),
              fmt::format(fmt::runtime(_n("{} segment", "{} segments", segments)), segments),
              gaps_text(gaps, gap_time));
}

void RecordingTally::write_summary(std::ostream& out) const {
    const std::lock_guard lock{m_mutex};
    for (const auto& [id, camera] : m_cameras) {
        out << _f("  {}/{}: {}, {}, {}", camera.room, id,
                  fmt::format(fmt::runtime(_n("{} segment", "{} segments", camera.segments)),
                              camera.segments),
                  format_byte_size(camera.bytes), gaps_text(camera.gaps, camera.gap_time))
            << '\n';
    }
}

}  // namespace exam
