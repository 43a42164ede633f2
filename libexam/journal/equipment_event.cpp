#include <exam/journal/equipment_event.hpp>
#include <exam/util/error.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {

JournalEntry equipment_event(const Site& site, const EquipmentEventRequest& request) {
    const auto kind = entry_kind_from_string(request.kind);
    if (!kind || !is_equipment_event(*kind)) {
        const std::vector<std::string_view> kinds = equipment_event_names();
        throw UsageError(_f("unknown event kind \"{}\"", request.kind) +
                         did_you_mean(request.kind, kinds, _("the kinds are")));
    }
    const Room* room = request.room ? site.find_room(*request.room) : nullptr;
    if (request.room && room == nullptr) {
        throw UsageError(_f("room \"{}\" is not in the site file", *request.room) +
                         site.suggest_room(*request.room));
    }
    if (request.camera) {
        bool found = false;
        for (const Room& candidate : site.rooms) {
            for (const Camera& camera : candidate.cameras) {
                found = found ||
                        (camera.id == *request.camera && (room == nullptr || room == &candidate));
            }
        }
        if (!found) {
            throw UsageError(_f("camera \"{}\" is not in the site file{}", *request.camera,
                                room ? _f(" for room {}", room->id) : std::string{}) +
                             site.suggest_camera(*request.camera));
        }
    }
    JournalEntry draft;
    draft.kind = *kind;
    draft.exam = request.exam;
    draft.room = request.room;
    draft.camera = request.camera;
    draft.note = request.note;
    draft.actor = request.actor;
    return draft;
}

}  // namespace exam
