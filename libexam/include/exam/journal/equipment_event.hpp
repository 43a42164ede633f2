// An action on the video equipment recorded by hand (`exam-journal event`): its kind, room and
// camera checked against the site before anything is written.
#pragma once

#include <optional>
#include <string>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/journal/entry.hpp>

namespace exam {

struct EquipmentEventRequest {
    std::string kind;  // "angle-correction", ...
    std::optional<std::string> room;
    std::optional<std::string> camera;
    std::optional<std::string> exam;
    std::optional<std::string> note;
    std::optional<std::string> actor;
};

// The entry to append. UsageError for a kind that is not an equipment event, a room or camera
// the site does not have, or a camera that is not in the room named (each with a did-you-mean).
EXAM_EXPORT JournalEntry equipment_event(const Site& site, const EquipmentEventRequest& request);

}  // namespace exam
