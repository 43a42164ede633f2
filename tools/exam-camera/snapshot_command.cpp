// exam-camera snapshot --camera C -o FILE.jpg: a stamped picture of one camera, for the
// equipment journal's angle corrections. From the recording service when it records the camera
// (its latest keyframe: the camera is not opened a second time), else by opening the camera.
#include <iostream>
#include <memory>

#include <exam/core/camera_choice.hpp>
#include <exam/core/snapshot.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

#include "exam-camera/commands.hpp"

namespace exam::camera {
namespace {

namespace fs = std::filesystem;

struct SnapshotOptions {
    std::string camera;
    std::string output;
};

// ---- asked of the running recording service (to be filled in by the service's wiring) ----
// The service's stamped picture of the camera, or nullopt when no service runs or it does not
// record that camera; then the camera is opened here.
std::optional<std::vector<std::uint8_t>> snapshot_from_service(const Site& /*site*/,
                                                               const ChosenCamera& /*chosen*/) {
    return std::nullopt;
}
// ---------------------------------------------------------------------------------------------

// Refused before the camera is opened: a snapshot taken and then not written is a wasted minute.
void require_output_folder(const fs::path& output) {
    const fs::path folder = output.has_parent_path() ? output.parent_path() : fs::path{"."};
    std::error_code error;
    if (!fs::is_directory(folder, error)) {
        throw StorageError(_f("cannot write the snapshot to {}: the folder {} does not exist; "
                              "create it or give -o a file in an existing folder",
                              output.string(), folder.string()));
    }
}

int snapshot(const tool::Tool& tool, const SnapshotOptions& options) {
    const Site site = tool.load_site();
    const ChosenCamera chosen = chosen_cameras(site, {.cameras = {options.camera}}).front();
    const fs::path output = options.output;
    require_output_folder(output);
    std::optional<std::vector<std::uint8_t>> jpeg = snapshot_from_service(site, chosen);
    if (!jpeg) {
        jpeg = snapshot_from_camera(site, *chosen.room, *chosen.camera, exam::now());
    }
    write_file_atomically(
        output, {reinterpret_cast<const char*>(jpeg->data()), jpeg->size()}, 0640,
        Overwrite::allow);
    std::cerr << _f("snapshot of camera {} (room {}) written to {}", chosen.camera->id,
                    chosen.room->id, output.string())
              << '\n';
    return 0;
}

}  // namespace

void add_snapshot_command(tool::Tool& tool) {
    auto options = std::make_shared<SnapshotOptions>();
    auto* command = tool.add_command(
        "snapshot",
        _("Take one picture of a camera, stamped with region, PPE, room, camera and time, as "
          "JPEG: from the recording service when it records the camera, else from the camera"),
        [&tool, options] { return snapshot(tool, *options); });
    command->add_option("--camera", options->camera, _("The camera"))
        ->type_name("CAMERA")
        ->required();
    command->add_option("-o,--output", options->output, _("The JPEG file to write"))
        ->type_name("FILE")
        ->required();
}

}  // namespace exam::camera
