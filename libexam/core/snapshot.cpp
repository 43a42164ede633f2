#include <exam/core/snapshot.hpp>

#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "core/devices_module.hpp"
#include "devices/devices_api.hpp"

namespace exam {
namespace {

// "Аудитория 0101" for a label that names its id, "Доска (0101-board)" for one that does not.
std::string labelled(const std::string& label, const std::string& id) {
    if (label.empty() || label == id) {
        return id;
    }
    return label.find(id) != std::string::npos ? label : label + " (" + id + ")";
}

}  // namespace

std::vector<std::string> snapshot_label(const Site& site, const Room& room, const Camera& camera,
                                        TimePoint at) {
    return {labelled(room.label, room.id) + " · " + labelled(camera.label, camera.id),
            _f("region {}, PPE {}", site.region_code, site.ppe_code),
            site.timezone.format_labelled(at, TimePrecision::seconds)};
}

std::vector<std::uint8_t> snapshot_from_camera(const Site& site, const Room& room,
                                               const Camera& camera, TimePoint at) {
    std::string problem;
    auto* take = reinterpret_cast<decltype(&exam_devices_snapshot)>(
        devices_entry("exam_devices_snapshot", problem));
    if (take == nullptr) {
        throw DeviceError(
            _f("a snapshot needs examkit's device module {}, which could not be "
               "loaded ({}); reinstall examkit",
               EXAM_DEVICES_MODULE, problem));
    }
    return take(camera.uri, _f("camera {} (room {})", camera.id, room.id),
                snapshot_label(site, room, camera, at));
}

}  // namespace exam
