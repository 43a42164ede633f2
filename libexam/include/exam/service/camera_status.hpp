// The state of every camera of the recording service, rendered for people (`exam-camera
// status`), for programs (`status --json`, docs/status-format.md) and for Prometheus (the
// metrics file that node_exporter's textfile collector reads).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/service/alarms.hpp>
#include <exam/service/wanted_state.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/time.hpp>

namespace exam {

enum class CameraState { stopped, starting, recording, retrying, failed };
EXAM_EXPORT std::string_view to_string(CameraState state);

// The last judgement of the picture; no problems and a time: healthy. No time: not judged yet
// (or health checks are off).
struct PictureHealthStatus {
    std::optional<TimePoint> checked_at;
    std::vector<std::string> problems;  // "black", "covered (contrast 2)", ...
    friend bool operator==(const PictureHealthStatus&, const PictureHealthStatus&) = default;
};

// none: the camera has no sound, or it is not kept; lost: it had sound and has none now.
enum class SoundState { none, present, lost };
EXAM_EXPORT std::string_view to_string(SoundState sound);

struct CameraStatus {
    std::string camera, room, room_label, camera_label;
    CameraState state = CameraState::stopped;
    TimePoint since;  // when it entered `state`
    std::uint64_t bytes_today = 0;
    std::optional<std::string> current_segment;  // the file being written
    int gaps_today = 0;
    Milliseconds gap_time_today{0};
    PictureHealthStatus health;
    SoundState sound = SoundState::none;
    std::vector<AlarmEvent> alarms;  // active ones
    WantSource want_source = WantSource::schedule;
    bool wanted_on = false;
    std::string last_problem;  // empty when none
    friend bool operator==(const CameraStatus&, const CameraStatus&) = default;
};

struct ServiceStatus {
    TimePoint now;               // the service's clock, shifted or not
    bool shifted_clock = false;  // a rehearsal's clock (--at), not the real time
    std::string service_user;
    std::vector<CameraStatus> cameras;
    int pid = 0;  // the service's process id
    // Entries of the recording (starts, stops, segments, gaps, alarms) that the journal could
    // not take since the service started: evidence missing, said on every status.
    std::size_t unjournalled = 0;
    friend bool operator==(const ServiceStatus&, const ServiceStatus&) = default;
};

// The documented JSON (docs/status-format.md): stable keys, times in UTC, ending in a newline.
EXAM_EXPORT std::string status_json(const ServiceStatus& status);
// Reads status_json's text back; InputError saying so when the text is not such a status.
EXAM_EXPORT ServiceStatus parse_status_json(const std::string& text);

// One row per camera for people, times in `zone`; problems in red and warnings in yellow when
// `colour`.
EXAM_EXPORT std::string status_table(const ServiceStatus& status, const TimeZone& zone,
                                     bool colour);

// Prometheus' text format 0.0.4 (docs/status-format.md, "Metrics"), every family with its HELP
// and TYPE, label values escaped.
EXAM_EXPORT std::string prometheus_metrics(const ServiceStatus& status, const Site& site);

// Replaces the metrics file whole (a temporary file in its folder, renamed), mode 0644, so that
// node_exporter never reads half of it. StorageError on failure.
EXAM_EXPORT void write_metrics_file(const std::filesystem::path& file, const std::string& text);

}  // namespace exam
