// What the recording service must be doing, kept on disk so that a service restarted after a
// crash or a power cut resumes exactly the cameras that were recording (docs/status-format.md,
// "The wanted state").
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/util/time.hpp>

namespace exam {

// Who asked for a camera's state: the site's recording windows, or a person (start, stop).
enum class WantSource { schedule, by_hand };

// "schedule", "by-hand": as written on disk, in status --json and in the journal's reason.
EXAM_EXPORT std::string_view to_string(WantSource source);

struct CameraWant {
    bool on = false;
    WantSource source = WantSource::schedule;
    TimePoint since;                    // when it was asked for
    std::string by;                     // the person (a user name), or "schedule"
    std::optional<std::string> reason;  // a forced stop's reason
    friend bool operator==(const CameraWant&, const CameraWant&) = default;
};

struct WantedState {
    std::map<std::string, CameraWant> cameras;  // camera id -> want
    friend bool operator==(const WantedState&, const WantedState&) = default;
};

// The state in `file`; empty when there is no file (a service never started). InputError
// naming the file, and saying what to do, when it is damaged or not one this version wrote.
EXAM_EXPORT WantedState load_wanted_state(const std::filesystem::path& file);

// Replaces the file whole: a temporary file beside it, synced, renamed, the folder synced; a
// crash at any moment leaves the old state or the new one. Mode 0640. StorageError on failure.
EXAM_EXPORT void save_wanted_state(const std::filesystem::path& file, const WantedState& state);

// site.paths.data / "recording-wanted.json".
EXAM_EXPORT std::filesystem::path wanted_state_path(const Site& site);

}  // namespace exam
