// The exam point as its site file describes it: codes, timezone, exams, rooms, cameras and
// where its data lives. Loaded once by load_site() and read-only afterwards.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <exam/export.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/time.hpp>

namespace exam {

// What a camera is set up to deliver; the camera check compares, the recorder plans disk.
inline constexpr std::uint64_t k_default_camera_bitrate = 4'000'000;  // bit/s, 1080p H.264

struct Camera {
    std::string id;  // unique in the site: it names the camera's recordings folder
    std::string uri;
    std::string label;
    std::optional<int> width;  // expected picture size in pixels, when the site says
    std::optional<int> height;
    std::optional<double> fps;                         // expected frame rate, when the site says
    std::uint64_t bitrate = k_default_camera_bitrate;  // bit/s, for the disk estimate
    std::optional<bool> audio;  // its sound kept or not; unset: as its room and the site say
};

enum class RoomKind { exam, hq, entrance };

EXAM_EXPORT std::string_view to_string(RoomKind kind);

struct Room {
    std::string id;  // "0101"
    std::string label;
    RoomKind kind = RoomKind::exam;
    std::optional<bool> audio;  // its cameras' sound kept or not; unset: as the site says
    std::vector<Camera> cameras;
};

struct Exam {
    std::string id;
    std::chrono::year_month_day date;
    std::string subject;
    std::chrono::seconds start_time{};  // local wall-clock time of day in the site's timezone
    Milliseconds duration{};
    Milliseconds check_lead{std::chrono::hours{2}};  // checks are due this long before the start
};

// Absolute paths, resolved once against the site file's real folder when written relative.
struct SitePaths {
    std::filesystem::path data;
    std::filesystem::path recordings;
    std::filesystem::path journal;
    std::filesystem::path keys;  // never inside data or recordings, which get copied
};

// [journal]: whether this station keeps the access journal, and how it treats people.
struct JournalSettings {
    // False on a room station: its evidence goes to the server's journal, so no journal is
    // expected here and none is missed.
    bool keep = true;
    std::vector<std::string> roster_exempt_roles;  // admitted without the staff-list check
};

// [time]: where the exam point's clocks take their time from.
struct TimeSettings {
    std::string ntp_server;  // "host" or "host:port"; empty when the site names none
};

// How long the rooms of one kind are recorded around each exam: from `before_start` before
// its start to `after_end` after its end (core/recording_window.hpp).
struct WindowSettings {
    Milliseconds before_start{0};
    Milliseconds after_end{0};
};

// [recording]: how much the recordings need beyond the exam itself.
struct RecordingSettings {
    Milliseconds after_end{std::chrono::minutes{30}};  // recording goes on after the exam ends
    Milliseconds segment{std::chrono::seconds{60}};    // a new file this often, at a keyframe
    Milliseconds watchdog{std::chrono::seconds{10}};   // no packet this long: reconnect
    std::uint64_t reserve = 5'000'000'000;  // bytes left free for the index and the journal
    bool audio = true;  // the cameras' sound is kept, unless a room or camera says otherwise
    // Retention: a segment is kept until this day of the year after the one it was recorded on
    // (its start's date in the site's zone); `exam-camera purge` deletes it from then on.
    std::chrono::month_day keep_until{std::chrono::March / std::chrono::day{1}};
    // [recording.exam], [recording.hq], [recording.entrance]. Exam rooms from an hour before
    // the start (the participants are seated from then on); the HQ from when the materials
    // arrive, two and a half hours before, until an hour after the end (the packing of the
    // answer sheets); the entrance from when the staff arrive. Exam rooms and the entrance
    // stop `after_end` after the end unless their own table says otherwise.
    WindowSettings exam_rooms{std::chrono::hours{1}, after_end};
    WindowSettings hq{std::chrono::minutes{150}, std::chrono::hours{1}};
    WindowSettings entrance{std::chrono::minutes{150}, after_end};

    [[nodiscard]] const WindowSettings& window(RoomKind kind) const;
};

// [service]: the recording service (`exam-camera service`): who may command it, how often it
// looks at the pictures, when a condition becomes an alarm and whom it tells.
struct ServiceSettings {
    // Members of this group may use the service's socket, besides the recordings' owner and root.
    std::string control_group = "examkit";
    // How often each camera's picture is judged while it records; zero: never.
    Milliseconds health_every{std::chrono::seconds{30}};
    // How long a gap, a bad picture or lost sound lasts before it is an alarm.
    Milliseconds alarm_after{std::chrono::seconds{60}};
    // A program and its arguments, run (without a shell) when an alarm is raised or ends; empty:
    // none. A relative program was resolved against the site file's folder at load.
    std::vector<std::string> alarm_command;
    // Where the metrics are written for node_exporter's textfile collector; unset: nowhere.
    std::optional<std::filesystem::path> metrics_file;
};

struct EXAM_EXPORT Site {
    std::filesystem::path file;  // as it was found, for messages
    std::string ppe_code;        // a string: "0001" is not 1
    std::string region_code;     // a string: "01" is not 1
    std::string name;
    TimeZone timezone;
    std::vector<Exam> exams;
    std::vector<Room> rooms;
    SitePaths paths;
    JournalSettings journal;
    RecordingSettings recording;
    TimeSettings time;
    ServiceSettings service;

    [[nodiscard]] const Exam* find_exam(std::string_view id) const;
    [[nodiscard]] const Room* find_room(std::string_view id) const;
    // Whether the camera's sound is recorded: its own `audio`, else its room's, else
    // [recording] audio.
    [[nodiscard]] bool keeps_sound(const Room& room, const Camera& camera) const;
    // The end of a message about an exam, room or camera id the site does not have:
    // `; did you mean "0101"?`, or the site's ids when none is close (did_you_mean).
    [[nodiscard]] std::string suggest_exam(std::string_view id) const;
    [[nodiscard]] std::string suggest_room(std::string_view id) const;
    [[nodiscard]] std::string suggest_camera(std::string_view id) const;
    [[nodiscard]] std::size_t camera_count() const;
    // Exams whose date, in the site's timezone, is the day of `when`.
    [[nodiscard]] std::vector<const Exam*> exams_on_day_of(TimePoint when) const;
};

}  // namespace exam
