// The service's status in Prometheus' text format 0.0.4, for node_exporter's textfile
// collector (docs/status-format.md, "Metrics"). Declared in exam/service/camera_status.hpp.
#include <array>
#include <string>

#include <fmt/format.h>

#include <exam/service/camera_status.hpp>
#include <exam/util/filesystem.hpp>

namespace exam {
namespace {

// A label value as the format wants it: backslash, double quote and line feed escaped.
std::string escaped_label(std::string_view value) {
    std::string text;
    text.reserve(value.size());
    for (const char c : value) {
        switch (c) {
            case '\\': text += "\\\\"; break;
            case '"': text += "\\\""; break;
            case '\n': text += "\\n"; break;
            default: text += c;
        }
    }
    return text;
}

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

class MetricsText {
public:
    // Every family starts with its HELP and TYPE, once, before its samples.
    void family(std::string_view name, std::string_view type, std::string_view help) {
        m_text += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    }
    void sample(std::string_view name, const Labels& labels, std::string_view value) {
        m_text += name;
        if (!labels.empty()) {
            m_text += '{';
            for (std::size_t i = 0; i < labels.size(); ++i) {
                m_text += fmt::format("{}{}=\"{}\"", i == 0 ? "" : ",", labels[i].first,
                                      escaped_label(labels[i].second));
            }
            m_text += '}';
        }
        m_text += fmt::format(" {}\n", value);
    }
    [[nodiscard]] const std::string& text() const { return m_text; }

private:
    std::string m_text;
};

Labels camera_labels(const CameraStatus& camera) {
    return {{"camera", camera.camera}, {"room", camera.room}};
}

// One family with one sample per camera.
template <typename Value>
void per_camera(MetricsText& out, const ServiceStatus& status, std::string_view name,
                std::string_view help, Value value) {
    out.family(name, "gauge", help);
    for (const CameraStatus& camera : status.cameras) {
        out.sample(name, camera_labels(camera), value(camera));
    }
}

std::string flag(bool on) {
    return on ? "1" : "0";
}

}  // namespace

std::string prometheus_metrics(const ServiceStatus& status, const Site& site) {
    MetricsText out;
    // The help texts are for the regional centre's tools and people alike: English, never
    // translated, so that every exam point writes the same file.
    out.family("examkit_service_up", "gauge",
               "1 while the exam point's recording service runs and writes this file.");
    out.sample("examkit_service_up", {}, "1");
    out.family("examkit_service_info", "gauge", "The exam point this file describes; always 1.");
    out.sample("examkit_service_info",
               {{"ppe", site.ppe_code},
                {"region", site.region_code},
                {"name", site.name},
                {"service_user", status.service_user}},
               "1");
    out.family("examkit_service_clock_seconds", "gauge",
               "The service's clock when it wrote this file, in seconds since 1970 (UTC).");
    out.sample(
        "examkit_service_clock_seconds", {},
        fmt::format("{:.3f}", static_cast<double>(status.now.time_since_epoch().count()) / 1000.0));
    out.family("examkit_service_shifted_clock", "gauge",
               "1 when the service runs on a shifted clock (a rehearsal), not the real time.");
    out.sample("examkit_service_shifted_clock", {}, flag(status.shifted_clock));

    out.family("examkit_camera_info", "gauge", "Each camera's room and labels; always 1.");
    for (const CameraStatus& camera : status.cameras) {
        out.sample("examkit_camera_info",
                   {{"camera", camera.camera},
                    {"room", camera.room},
                    {"camera_label", camera.camera_label},
                    {"room_label", camera.room_label}},
                   "1");
    }
    per_camera(
        out, status, "examkit_camera_recording", "1 while the camera is being recorded.",
        [](const CameraStatus& camera) { return flag(camera.state == CameraState::recording); });
    per_camera(out, status, "examkit_camera_wanted",
               "1 when the camera should be recording (by its schedule or by hand).",
               [](const CameraStatus& camera) { return flag(camera.wanted_on); });
    out.family("examkit_camera_state", "gauge",
               "1 for the camera's state: stopped, starting, recording, retrying or failed.");
    for (const CameraStatus& camera : status.cameras) {
        for (const CameraState state :
             {CameraState::stopped, CameraState::starting, CameraState::recording,
              CameraState::retrying, CameraState::failed}) {
            out.sample(
                "examkit_camera_state",
                {{"camera", camera.camera}, {"room", camera.room}, {"state", to_string(state)}},
                flag(camera.state == state));
        }
    }
    per_camera(out, status, "examkit_camera_bytes_today",
               "Bytes recorded from the camera today (the site's day).",
               [](const CameraStatus& camera) { return std::to_string(camera.bytes_today); });
    per_camera(out, status, "examkit_camera_gaps_today", "Gaps in the camera's recording today.",
               [](const CameraStatus& camera) { return std::to_string(camera.gaps_today); });
    per_camera(out, status, "examkit_camera_gap_seconds_today",
               "Seconds of the camera's recording lost in gaps today.",
               [](const CameraStatus& camera) {
                   return fmt::format("{:.3f}",
                                      static_cast<double>(camera.gap_time_today.count()) / 1000.0);
               });
    per_camera(out, status, "examkit_camera_picture_healthy",
               "1 when the camera's last judged picture had no problem; 0 when it had one or "
               "none was judged yet.",
               [](const CameraStatus& camera) {
                   return flag(camera.health.checked_at && camera.health.problems.empty());
               });
    per_camera(out, status, "examkit_camera_sound_lost",
               "1 when the camera had sound and has none now.",
               [](const CameraStatus& camera) { return flag(camera.sound == SoundState::lost); });
    out.family("examkit_camera_alarm", "gauge",
               "1 while an alarm of the kind (gap, picture, sound) is raised for the camera.");
    for (const CameraStatus& camera : status.cameras) {
        for (const AlarmKind kind : {AlarmKind::gap, AlarmKind::picture, AlarmKind::sound}) {
            bool raised = false;
            for (const AlarmEvent& alarm : camera.alarms) {
                raised = raised || (alarm.kind == kind && alarm.raised);
            }
            out.sample(
                "examkit_camera_alarm",
                {{"camera", camera.camera}, {"room", camera.room}, {"kind", to_string(kind)}},
                flag(raised));
        }
    }
    return out.text();
}

void write_metrics_file(const std::filesystem::path& file, const std::string& text) {
    // node_exporter reads the folder at any moment; it must find the old file or the new one.
    write_file_atomically(file, text, 0644, Overwrite::allow);
}

}  // namespace exam
