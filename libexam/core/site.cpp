#include <algorithm>
#include <numeric>

#include <exam/core/site.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {

std::string_view to_string(RoomKind kind) {
    switch (kind) {
        case RoomKind::exam: return "exam";
        case RoomKind::hq: return "hq";
        case RoomKind::entrance: return "entrance";
    }
    return "exam";
}

const WindowSettings& RecordingSettings::window(RoomKind kind) const {
    switch (kind) {
        case RoomKind::exam: return exam_rooms;
        case RoomKind::hq: return hq;
        case RoomKind::entrance: return entrance;
    }
    return exam_rooms;
}

const Exam* Site::find_exam(std::string_view id) const {
    const auto it =
        std::find_if(exams.begin(), exams.end(), [id](const Exam& exam) { return exam.id == id; });
    return it == exams.end() ? nullptr : &*it;
}

bool Site::keeps_sound(const Room& room, const Camera& camera) const {
    return camera.audio.value_or(room.audio.value_or(recording.audio));
}

const Room* Site::find_room(std::string_view id) const {
    const auto it =
        std::find_if(rooms.begin(), rooms.end(), [id](const Room& room) { return room.id == id; });
    return it == rooms.end() ? nullptr : &*it;
}

std::string Site::suggest_exam(std::string_view id) const {
    std::vector<std::string_view> ids;
    for (const Exam& exam : exams) {
        ids.push_back(exam.id);
    }
    return did_you_mean(id, ids, _("its exams are"));
}

std::string Site::suggest_room(std::string_view id) const {
    std::vector<std::string_view> ids;
    for (const Room& room : rooms) {
        ids.push_back(room.id);
    }
    return did_you_mean(id, ids, _("its rooms are"));
}

std::string Site::suggest_camera(std::string_view id) const {
    std::vector<std::string_view> ids;
    for (const Room& room : rooms) {
        for (const Camera& camera : room.cameras) {
            ids.push_back(camera.id);
        }
    }
    return did_you_mean(id, ids, _("its cameras are"));
}

std::size_t Site::camera_count() const {
    return std::accumulate(
        rooms.begin(), rooms.end(), std::size_t{0},
        [](std::size_t sum, const Room& room) { return sum + room.cameras.size(); });
}

std::vector<const Exam*> Site::exams_on_day_of(TimePoint when) const {
    const std::chrono::year_month_day today{
        std::chrono::floor<std::chrono::days>(timezone.to_local(when))};
    std::vector<const Exam*> result;
    for (const Exam& exam : exams) {
        if (exam.date == today) {
            result.push_back(&exam);
        }
    }
    return result;
}

}  // namespace exam
