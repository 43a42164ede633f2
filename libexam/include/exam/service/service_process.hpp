// The recording service as a process: who it runs as, and how `exam-camera start` brings one
// up where no systemd unit does. In libexam (no FFmpeg): the commands use it before anything
// records.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include <exam/core/site.hpp>
#include <exam/export.hpp>

namespace exam {

// Started by root, the service becomes the owner of the recordings folder (its user, its
// groups) so that no recording is ever root's; a folder that root owns is refused with what
// to do. Not root: checks that this user may write the recordings and data folders. Throws
// ConfigError. Returns the user it runs as.
EXAM_EXPORT std::string become_recordings_owner(const Site& site);

// The systemd unit of the service, when one is installed (then the unit, not a command,
// starts the service).
EXAM_EXPORT std::optional<std::filesystem::path> installed_service_unit();

// The service's log when `exam-camera start` starts it: DATA/exam-camera-service.log.
EXAM_EXPORT std::filesystem::path service_log_path(const Site& site);

// Starts `executable --site SITE service` detached from this terminal (its own session, its
// output appended to service_log_path) and waits until it answers on the control socket.
// Throws DeviceError with the log's last lines when it does not within a few seconds.
EXAM_EXPORT void launch_service(const Site& site, const std::filesystem::path& executable);

}  // namespace exam
