#include <stdexcept>

#include <nlohmann/json.hpp>

#include <exam/service/wanted_state.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int k_wanted_state_version = 1;

WantSource source_named(const std::string& name) {
    if (name == "schedule") {
        return WantSource::schedule;
    }
    if (name == "by-hand") {
        return WantSource::by_hand;
    }
    throw std::invalid_argument("source");
}

TimePoint time_named(const std::string& text) {
    const auto time = parse_utc(text);
    if (!time) {
        throw std::invalid_argument("since");
    }
    return *time;
}

CameraWant read_want(const json& entry) {
    CameraWant want;
    want.on = entry.at("on").get<bool>();
    want.source = source_named(entry.at("source").get<std::string>());
    want.since = time_named(entry.at("since").get<std::string>());
    want.by = entry.at("by").get<std::string>();
    if (const auto reason = entry.find("reason"); reason != entry.end() && !reason->is_null()) {
        want.reason = reason->get<std::string>();
    }
    return want;
}

}  // namespace

std::string_view to_string(WantSource source) {
    switch (source) {
        case WantSource::schedule: return "schedule";
        case WantSource::by_hand: return "by-hand";
    }
    return "schedule";
}

WantedState load_wanted_state(const fs::path& file) {
    std::error_code error;
    if (!fs::exists(file, error) && !error) {
        return {};
    }
    const std::string text = read_text_file(file, _("the recording service's wanted state"));
    try {
        const json document = json::parse(text);
        if (document.at("version").get<int>() != k_wanted_state_version) {
            throw std::invalid_argument("version");
        }
        WantedState state;
        for (const auto& [camera, entry] : document.at("cameras").items()) {
            state.cameras.emplace(camera, read_want(entry));
        }
        return state;
    } catch (const std::exception&) {
        // Guessing would start or stop cameras nobody asked for; a person decides instead.
        throw InputError(_f(
            "\"{}\" is not the recording service's wanted state as this version of examkit writes "
            "it (damaged, or written by another version), so the service cannot tell which cameras "
            "were recording; move it aside, start the service, and start the cameras that must "
            "record with 'exam-camera start'",
            file.string()));
    }
}

void save_wanted_state(const fs::path& file, const WantedState& state) {
    json cameras = json::object();
    for (const auto& [camera, want] : state.cameras) {
        json entry{{"on", want.on},
                   {"source", to_string(want.source)},
                   {"since", format_utc(want.since)},
                   {"by", want.by}};
        if (want.reason) {
            entry["reason"] = *want.reason;
        }
        cameras[camera] = std::move(entry);
    }
    const json document{{"version", k_wanted_state_version}, {"cameras", std::move(cameras)}};
    std::error_code error;
    fs::create_directories(file.parent_path(), error);  // a failure shows in the write itself
    // It names the people who started and stopped cameras (0640: not for every reader). A
    // reason typed by a person may hold invalid UTF-8: replaced, never an exception.
    const std::string text = document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    write_file_atomically(file, text, 0640, Overwrite::allow);
}

fs::path wanted_state_path(const Site& site) {
    return site.paths.data / "recording-wanted.json";
}

}  // namespace exam
