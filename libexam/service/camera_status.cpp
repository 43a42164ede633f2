#include <array>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <exam/service/camera_status.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/error.hpp>
#include <exam/util/json.hpp>
#include <exam/util/table.hpp>
#include <exam/util/terminal.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

// Bumped only when a key changes meaning or goes away; new keys may appear without it.
constexpr int k_status_version = 1;

constexpr std::array k_camera_states{CameraState::stopped, CameraState::starting,
                                     CameraState::recording, CameraState::retrying,
                                     CameraState::failed};
constexpr std::array k_sound_states{SoundState::none, SoundState::present, SoundState::lost};

template <typename Enum, std::size_t N>
Enum named(const std::array<Enum, N>& values, const std::string& name) {
    for (const Enum value : values) {
        if (to_string(value) == name) {
            return value;
        }
    }
    throw std::invalid_argument("unknown value \"" + name + "\"");
}

TimePoint time_from(const Json& value) {
    const auto time = parse_utc(value.get<std::string>());
    if (!time) {
        throw std::invalid_argument("a time that is not YYYY-MM-DDTHH:MM:SS.mmmZ");
    }
    return *time;
}

Json optional_text(const std::optional<std::string>& text) {
    return text ? Json(*text) : Json(nullptr);
}

Json camera_json(const CameraStatus& camera) {
    Json alarms = Json::array();
    for (const AlarmEvent& alarm : camera.alarms) {
        alarms.push_back({{"kind", to_string(alarm.kind)},
                          {"raised", alarm.raised},
                          {"since", format_utc(alarm.since)},
                          {"at", format_utc(alarm.at)},
                          {"detail", alarm.detail.shown}});
    }
    return Json{
        {"camera", camera.camera},
        {"camera_label", camera.camera_label},
        {"room", camera.room},
        {"room_label", camera.room_label},
        {"state", to_string(camera.state)},
        {"since", format_utc(camera.since)},
        {"wanted_on", camera.wanted_on},
        {"want_source", to_string(camera.want_source)},
        {"bytes_today", camera.bytes_today},
        {"current_segment", optional_text(camera.current_segment)},
        {"gaps_today", camera.gaps_today},
        {"gap_ms_today", camera.gap_time_today.count()},
        {"health",
         {{"checked_at",
           camera.health.checked_at ? Json(format_utc(*camera.health.checked_at)) : Json(nullptr)},
          {"problems", camera.health.problems}}},
        {"sound", to_string(camera.sound)},
        {"alarms", std::move(alarms)},
        {"last_problem", camera.last_problem},
    };
}

CameraStatus camera_from(const Json& json) {
    CameraStatus camera;
    camera.camera = json.at("camera").get<std::string>();
    camera.camera_label = json.at("camera_label").get<std::string>();
    camera.room = json.at("room").get<std::string>();
    camera.room_label = json.at("room_label").get<std::string>();
    camera.state = named(k_camera_states, json.at("state").get<std::string>());
    camera.since = time_from(json.at("since"));
    camera.wanted_on = json.at("wanted_on").get<bool>();
    const std::string source = json.at("want_source").get<std::string>();
    camera.want_source = named(std::array{WantSource::schedule, WantSource::by_hand}, source);
    camera.bytes_today = json.at("bytes_today").get<std::uint64_t>();
    if (!json.at("current_segment").is_null()) {
        camera.current_segment = json.at("current_segment").get<std::string>();
    }
    camera.gaps_today = json.at("gaps_today").get<int>();
    camera.gap_time_today = Milliseconds{json.at("gap_ms_today").get<std::int64_t>()};
    const Json& health = json.at("health");
    if (!health.at("checked_at").is_null()) {
        camera.health.checked_at = time_from(health.at("checked_at"));
    }
    camera.health.problems = health.at("problems").get<std::vector<std::string>>();
    camera.sound = named(k_sound_states, json.at("sound").get<std::string>());
    for (const Json& alarm : json.at("alarms")) {
        const auto kind = alarm_kind_named(alarm.at("kind").get<std::string>());
        if (!kind) {
            throw std::invalid_argument("an unknown alarm kind");
        }
        // The client has the service's words only (the journal has the English).
        const auto detail = alarm.at("detail").get<std::string>();
        camera.alarms.push_back(AlarmEvent{
            camera.camera, camera.room, *kind, alarm.at("raised").get<bool>(),
            time_from(alarm.at("since")), time_from(alarm.at("at")), RecordedText{detail, detail}});
    }
    camera.last_problem = json.at("last_problem").get<std::string>();
    return camera;
}

// --- the table

// The id that commands take, and the label people know it by when that says more.
std::string id_and_label(const std::string& id, const std::string& label) {
    return label.empty() || label == id ? id : id + " " + label;
}

TableCell state_cell(const CameraStatus& camera) {
    const std::string text{to_string(camera.state)};
    switch (camera.state) {
        case CameraState::recording: return {text, Color::green};
        case CameraState::starting:
        case CameraState::retrying: return {text, Color::yellow};
        case CameraState::failed: return {text, Color::red};
        case CameraState::stopped: break;
    }
    // Stopped while it should record is a problem; stopped as wanted is not.
    return {text, camera.wanted_on ? Color::red : Color::none};
}

std::string wanted_text(const CameraStatus& camera) {
    if (camera.want_source == WantSource::by_hand) {
        return camera.wanted_on ? _("on, by hand") : _("off, by hand");
    }
    return camera.wanted_on ? _("on, schedule") : _("off, schedule");
}

TableCell gaps_cell(const CameraStatus& camera) {
    if (camera.gaps_today == 0) {
        return {"0"};
    }
    return {fmt::format("{} ({})", camera.gaps_today, format_elapsed(camera.gap_time_today)),
            Color::yellow};
}

TableCell picture_cell(const PictureHealthStatus& health) {
    if (!health.problems.empty()) {
        return {fmt::format("{}", fmt::join(health.problems, "; ")), Color::red};
    }
    if (!health.checked_at) {
        return {_("not checked"), Color::dim};
    }
    return {_("ok"), Color::green};
}

TableCell sound_cell(SoundState sound) {
    switch (sound) {
        case SoundState::present: return {_("yes"), Color::green};
        case SoundState::lost: return {_("lost"), Color::red};
        case SoundState::none: break;
    }
    return {"-", Color::dim};
}

TableCell alarms_cell(const CameraStatus& camera, const TimeZone& zone) {
    std::vector<std::string> alarms;
    for (const AlarmEvent& alarm : camera.alarms) {
        alarms.push_back(_f("{} since {}", to_string(alarm.kind),
                            zone.format_for_display(alarm.since, TimePrecision::seconds)));
    }
    return {fmt::format("{}", fmt::join(alarms, ", ")), Color::red};
}

}  // namespace

std::string_view to_string(CameraState state) {
    switch (state) {
        case CameraState::stopped: return "stopped";
        case CameraState::starting: return "starting";
        case CameraState::recording: return "recording";
        case CameraState::retrying: return "retrying";
        case CameraState::failed: return "failed";
    }
    return "stopped";
}

std::string_view to_string(SoundState sound) {
    switch (sound) {
        case SoundState::none: return "none";
        case SoundState::present: return "present";
        case SoundState::lost: return "lost";
    }
    return "none";
}

std::string status_json(const ServiceStatus& status) {
    Json cameras = Json::array();
    for (const CameraStatus& camera : status.cameras) {
        cameras.push_back(camera_json(camera));
    }
    const Json document{{"version", k_status_version},
                        {"now", format_utc(status.now)},
                        {"shifted_clock", status.shifted_clock},
                        {"service_user", status.service_user},
                        {"pid", status.pid},
                        {"unjournalled", status.unjournalled},
                        {"cameras", std::move(cameras)}};
    std::ostringstream out;
    write_json(out, document);
    return out.str();
}

ServiceStatus parse_status_json(const std::string& text) {
    try {
        const Json document = Json::parse(text);
        if (document.at("version").get<int>() != k_status_version) {
            throw std::invalid_argument("version " + document.at("version").dump());
        }
        ServiceStatus status;
        status.now = time_from(document.at("now"));
        status.shifted_clock = document.at("shifted_clock").get<bool>();
        status.service_user = document.at("service_user").get<std::string>();
        status.pid = document.value("pid", 0);
        status.unjournalled = document.value("unjournalled", std::size_t{0});
        for (const Json& camera : document.at("cameras")) {
            status.cameras.push_back(camera_from(camera));
        }
        return status;
    } catch (const std::exception& error) {
        throw InputError(
            _f("the recording service's reply is not a status this exam-camera "
               "understands ({}); are the service and this command the same version "
               "of examkit?",
               error.what()));
    }
}

std::string status_table(const ServiceStatus& status, const TimeZone& zone, bool colour) {
    const Palette palette{colour};
    std::ostringstream out;
    out << _f("as of {}{}; the service runs as {}",
              zone.format_labelled(status.now, TimePrecision::seconds),
              status.shifted_clock ? _(" (a shifted clock, not the real time)") : "",
              status.service_user.empty() ? _("(unknown)") : status.service_user)
        << "\n";
    if (status.unjournalled > 0) {
        out << palette.paint(_f("{} entries of the recording could not be written to the journal "
                                "(the service's log, exam-camera-service.log in the data "
                                "folder, names each): mend the journal (exam-journal verify)",
                                status.unjournalled),
                             Color::red)
            << "\n";
    }
    Table table({{_("ROOM")},
                 {_("CAMERA")},
                 {_("STATE")},
                 {_("SINCE")},
                 {_("WANTED")},
                 {_("TODAY"), Align::right},
                 {_("GAPS"), Align::right},
                 {_("PICTURE")},
                 {_("SOUND")},
                 {_("ALARMS")},
                 {_("SEGMENT")}});
    for (const CameraStatus& camera : status.cameras) {
        table.add_row({id_and_label(camera.room, camera.room_label),
                       id_and_label(camera.camera, camera.camera_label), state_cell(camera),
                       zone.format_for_display(camera.since, TimePrecision::seconds),
                       wanted_text(camera), format_byte_size(camera.bytes_today), gaps_cell(camera),
                       picture_cell(camera.health), sound_cell(camera.sound),
                       alarms_cell(camera, zone),
                       camera.current_segment
                           ? std::filesystem::path{*camera.current_segment}.filename().string()
                           : std::string{}});
    }
    table.render(out, palette);
    // Why a camera is not recording, where the table has no room for it.
    for (const CameraStatus& camera : status.cameras) {
        if (!camera.last_problem.empty()) {
            out << palette.paint(camera.camera, Color::bold) << ": " << camera.last_problem << "\n";
        }
    }
    return out.str();
}

}  // namespace exam
