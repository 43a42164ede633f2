// exam-camera snapshot --camera C -o FILE.jpg: a stamped picture of one camera, for the
// equipment journal's angle corrections. From the recording service when it records the camera
// (its latest keyframe: the camera is not opened a second time), else by opening the camera.
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <exam/core/camera_choice.hpp>
#include <exam/core/snapshot.hpp>
#include <exam/journal/site_journal.hpp>
#include <exam/service/control_socket.hpp>
#include <exam/service/service_client.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/translate.hpp>

#include "exam-camera/commands.hpp"

namespace exam::camera {
namespace {

namespace fs = std::filesystem;

struct SnapshotOptions {
    std::string camera;
    std::string output;
};

// The service's stamped picture of the camera (its latest keyframe; the service puts the
// snapshot in the journal), or nullopt when no service runs or it does not record that camera.
std::optional<std::vector<std::uint8_t>> snapshot_from_service(const Site& site,
                                                               const ChosenCamera& chosen) {
    const fs::path socket = control_socket_path(site);
    if (!service_running(socket)) {
        return std::nullopt;
    }
    const nlohmann::json request{{"v", 1}, {"command", "snapshot"}, {"camera", chosen.camera->id}};
    const nlohmann::json reply = nlohmann::json::parse(ask_service(socket, request.dump()));
    if (!reply.value("recorded", false)) {
        return std::nullopt;
    }
    auto jpeg = base64_decode(reply.at("jpeg").get<std::string>());
    if (!jpeg) {
        throw InternalError(_("the recording service sent a snapshot that is not base64"));
    }
    return jpeg;
}

// A snapshot taken here goes into the journal as the service's do; evidence is never silent.
void journal_snapshot(const Site& site, const ChosenCamera& chosen,
                      const std::vector<std::uint8_t>& jpeg, TimePoint at) {
    SiteJournal journal = open_site_journal(site);
    if (!journal.kept) {
        return;
    }
    if (!journal.journal) {
        throw StorageError(
            _f("the snapshot is written, but it is NOT in the journal: {}", journal.problem));
    }
    JournalEntry entry;
    entry.kind = EntryKind::snapshot;
    entry.room = chosen.room->id;
    entry.camera = chosen.camera->id;
    entry.actor = tool::acting_person();
    entry.note = fmt::format(
        "picture of {} sha256 {}", format_utc(at),
        to_hex(sha256(std::string_view{reinterpret_cast<const char*>(jpeg.data()), jpeg.size()})));
    try {
        journal.journal->append(std::move(entry));
        journal.journal->close();
    } catch (const Error& e) {
        throw StorageError(
            _f("the snapshot is written, but it is NOT in the journal: {}", e.what()));
    }
}

// Refused before the camera is opened: a snapshot taken and then not written is a wasted minute.
void require_output_folder(const fs::path& output) {
    const fs::path folder = output.has_parent_path() ? output.parent_path() : fs::path{"."};
    std::error_code error;
    if (!fs::is_directory(folder, error)) {
        throw StorageError(
            _f("cannot write the snapshot to {}: the folder {} does not exist; "
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
    const bool from_camera = !jpeg;
    const TimePoint at = exam::now();
    if (from_camera) {
        jpeg = snapshot_from_camera(site, *chosen.room, *chosen.camera, at);
    }
    write_file_atomically(output, {reinterpret_cast<const char*>(jpeg->data()), jpeg->size()}, 0640,
                          Overwrite::allow);
    if (from_camera) {
        journal_snapshot(site, chosen, *jpeg, at);
    }
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
