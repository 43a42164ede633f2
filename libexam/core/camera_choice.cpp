#include <algorithm>

#include <exam/core/camera_choice.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

std::vector<ChosenCamera> chosen_cameras(const Site& site, const CameraChoice& choice) {
    for (const std::string& room : choice.rooms) {
        if (site.find_room(room) == nullptr) {
            throw UsageError(_f("--room {}: the site has no such room", room) +
                             site.suggest_room(room));
        }
    }
    std::vector<ChosenCamera> chosen;
    std::vector<std::string> found;
    for (const Room& room : site.rooms) {
        const bool whole_room = choice.empty() || choice.all || contains(choice.rooms, room.id);
        for (const Camera& camera : room.cameras) {
            const bool named = contains(choice.cameras, camera.id);
            if (named) {
                found.push_back(camera.id);
            }
            if (whole_room || named) {
                chosen.push_back({&room, &camera});
            }
        }
    }
    for (const std::string& camera : choice.cameras) {
        if (!contains(found, camera)) {
            throw UsageError(_f("--camera {}: the site has no such camera", camera) +
                             site.suggest_camera(camera));
        }
    }
    if (chosen.empty()) {
        throw UsageError(choice.empty() ? _("the site has no cameras")
                                        : _("the chosen rooms have no cameras"));
    }
    return chosen;
}

}  // namespace exam
