// Which cameras a command acts on: every one, whole rooms, single cameras (the command line's
// --all, --room, --camera), checked against the site. One rule for recording, export,
// coverage and holds.
#pragma once

#include <string>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>

namespace exam {

struct CameraChoice {
    bool all = false;
    std::vector<std::string> rooms;
    std::vector<std::string> cameras;

    [[nodiscard]] bool empty() const { return !all && rooms.empty() && cameras.empty(); }
};

struct ChosenCamera {
    const Room* room;
    const Camera* camera;
};

// The chosen cameras in the site's order (an empty choice: every camera). UsageError for an
// unknown room or camera, with a did-you-mean, and for rooms that have no cameras.
EXAM_EXPORT std::vector<ChosenCamera> chosen_cameras(const Site& site, const CameraChoice& choice);

}  // namespace exam
