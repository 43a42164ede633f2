// The service's answers over the control socket (docs/service-protocol.md): start, stop,
// status and snapshot, each acting as the person the socket's peer credentials name.
#include <future>

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <exam/core/camera_choice.hpp>
#include <exam/core/snapshot.hpp>
#include <exam/recording/keyframe.hpp>
#include <exam/service/recording_schedule.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/translate.hpp>
#include <exam/vision/stamp.hpp>

#include "service/service_engine.hpp"

namespace exam {
namespace {

using Json = nlohmann::json;

// How long `start` waits for each camera's first keyframe before it says which failed.
constexpr auto k_first_keyframe_wait = std::chrono::seconds{20};

CameraChoice choice_of(const Json& request) {
    CameraChoice choice;
    choice.all = request.value("all", false);
    choice.rooms = request.value("rooms", std::vector<std::string>{});
    choice.cameras = request.value("cameras", std::vector<std::string>{});
    if (choice.empty()) {
        throw UsageError(_("say which cameras: --all, --room ROOM or --camera CAMERA"));
    }
    return choice;
}

Json parse_request(const std::string& text) {
    try {
        return Json::parse(text);
    } catch (const Json::exception& e) {
        throw InputError(_f("the request is not JSON: {}", e.what()));
    }
}

}  // namespace

void ServiceEngine::answer(const Caller& caller, const std::string& command,
                           const std::string& request, ReplyStream& reply) {
    try {
        if (command == "start") {
            start_cameras(caller, request, reply);
        } else if (command == "stop") {
            stop_cameras(caller, request, reply);
        } else if (command == "status") {
            reply.finish(Json{{"ok", true}, {"status", Json::parse(status_json(status()))}}.dump());
        } else if (command == "snapshot") {
            take_snapshot(caller, request, reply);
        } else {
            throw UsageError(_f("the service knows no command \"{}\"", command));
        }
    } catch (const Json::exception& e) {
        reply.finish(Json{{"error", {{"code", 65}, {"message", e.what()}}}}.dump());
    } catch (const Error& e) {
        reply.finish(Json{{"error", {{"code", e.exit_code()}, {"message", e.what()}}}}.dump());
    }
}

void ServiceEngine::start_cameras(const Caller& caller, const std::string& text,
                                  ReplyStream& reply) {
    const Json request = parse_request(text);
    const std::vector<ChosenCamera> chosen = chosen_cameras(m_site, choice_of(request));
    const std::string who = caller.display();
    const TimePoint at = clock();
    const std::size_t unjournalled = m_journal.unjournalled();
    {
        const std::lock_guard lock{m_mutex};
        for (const ChosenCamera& camera : chosen) {
            m_wanted.cameras[camera.camera->id] = CameraWant{.on = true,
                                                             .source = WantSource::by_hand,
                                                             .since = at,
                                                             .by = who,
                                                             .reason = std::nullopt};
        }
    }
    save_wants();
    for (const ChosenCamera& camera : chosen) {
        slot_of(camera.camera->id)->worker->start({"by-hand", who});
    }
    m_log.line(fmt::format("{} started {} camera(s)", who, chosen.size()));
    const auto deadline = std::chrono::steady_clock::now() + k_first_keyframe_wait;
    std::vector<std::string> failed;
    for (const ChosenCamera& camera : chosen) {
        const auto problem = slot_of(camera.camera->id)->worker->wait_for_picture(deadline);
        reply.progress(Json{{"progress",
                             {{"camera", camera.camera->id},
                              {"room", camera.room->id},
                              {"recording", !problem},
                              {"problem", problem.value_or("")}}}}
                           .dump());
        if (problem) {
            failed.push_back(camera.camera->id + ": " + *problem);
        }
    }
    if (failed.size() == chosen.size()) {
        throw DeviceError(
            _f("none of the {} camera(s) gave a keyframe within {} s: {}; they keep being "
               "retried (exam-camera status shows them; exam-precheck run checks the cameras)",
               chosen.size(), k_first_keyframe_wait.count(), fmt::join(failed, "; ")));
    }
    if (!failed.empty()) {
        throw DeviceError(_f(
            "{} of {} camera(s) gave no keyframe within {} s: {}; the others "
            "record, and these keep being retried (exam-camera status shows "
            "them; exam-precheck run checks the cameras)",
            failed.size(), chosen.size(), k_first_keyframe_wait.count(), fmt::join(failed, "; ")));
    }
    expect_journalled(unjournalled, _f("{} camera(s) record", chosen.size()));
    reply.finish(Json{{"ok", true}, {"cameras", chosen.size()}}.dump());
}

void ServiceEngine::stop_cameras(const Caller& caller, const std::string& text,
                                 ReplyStream& reply) {
    const Json request = parse_request(text);
    const std::vector<ChosenCamera> chosen = chosen_cameras(m_site, choice_of(request));
    const bool force = request.value("force", false);
    const std::string reason = request.value("reason", std::string{});
    if (force && reason.empty()) {
        throw UsageError(
            _("--force needs --reason TEXT: why the recording stops inside its "
              "window goes into the journal"));
    }
    const TimePoint at = clock();
    std::vector<std::string> inside;
    for (const ChosenCamera& camera : chosen) {
        if (const auto window = protected_window(m_site, *camera.room, at)) {
            inside.push_back(_f("room {} records from {} to {}", camera.room->id,
                                m_site.timezone.format_for_display(window->from),
                                m_site.timezone.format_for_display(window->to)));
        }
    }
    if (!inside.empty() && !force) {
        std::sort(inside.begin(), inside.end());
        inside.erase(std::unique(inside.begin(), inside.end()), inside.end());
        throw UsageError(
            _f("not stopped: {}, and it is inside that recording window now; a "
               "stop there needs --force --reason TEXT, which goes into the journal",
               fmt::join(inside, "; ")));
    }
    const std::string who = caller.display();
    const std::string why = force && !inside.empty() ? reason : std::string{"by-hand"};
    const std::size_t unjournalled = m_journal.unjournalled();
    {
        const std::lock_guard lock{m_mutex};
        for (const ChosenCamera& camera : chosen) {
            m_wanted.cameras[camera.camera->id] =
                CameraWant{.on = false,
                           .source = WantSource::by_hand,
                           .since = at,
                           .by = who,
                           .reason = force ? std::optional<std::string>{why} : std::nullopt};
        }
    }
    save_wants();
    m_log.line(fmt::format("{} stops {} camera(s) ({})", who, chosen.size(), why));
    std::vector<std::future<bool>> stops;
    for (const ChosenCamera& camera : chosen) {
        CameraWorker* worker = slot_of(camera.camera->id)->worker.get();
        stops.push_back(std::async(std::launch::async, [worker, why, who] {
            return worker->stop({why, who});
        }));
    }
    std::size_t stopped = 0;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const bool was_recording = stops[i].get();
        stopped += was_recording ? 1 : 0;
        reply.progress(Json{{"progress",
                             {{"camera", chosen[i].camera->id},
                              {"room", chosen[i].room->id},
                              {"stopped", was_recording}}}}
                           .dump());
    }
    expect_journalled(unjournalled, _f("{} camera(s) stopped", stopped));
    reply.finish(Json{{"ok", true}, {"stopped", stopped}}.dump());
}

void ServiceEngine::take_snapshot(const Caller& caller, const std::string& text,
                                  ReplyStream& reply) {
    const Json request = parse_request(text);
    const std::string camera = request.value("camera", std::string{});
    CameraSlot* slot = slot_of(camera);
    if (slot == nullptr) {
        throw UsageError(_f("camera \"{}\" is not in the site file", camera));
    }
    const std::optional<Keyframe> keyframe = slot->worker->latest_keyframe();
    if (!keyframe || slot->worker->status().state != CameraState::recording) {
        // Not recorded here: the command opens the camera itself.
        reply.finish(Json{{"ok", true}, {"recorded", false}}.dump());
        return;
    }
    const DecodedPicture picture =
        decode_keyframe(*keyframe, {.max_width = 0, .planes = DecodedPlanes::bgr});
    const std::vector<std::uint8_t> jpeg = stamped_jpeg(
        picture.bgr_view(), snapshot_label(m_site, *slot->room, *slot->camera, keyframe->time));
    JournalEntry entry;
    entry.kind = EntryKind::snapshot;
    entry.room = slot->room->id;
    entry.camera = camera;
    entry.actor = caller.display();
    entry.note = fmt::format(
        "picture of {} sha256 {}", format_utc(keyframe->time),
        to_hex(sha256(std::string_view{reinterpret_cast<const char*>(jpeg.data()), jpeg.size()})));
    const std::size_t unjournalled = m_journal.unjournalled();
    journal(std::move(entry));
    expect_journalled(unjournalled, _("the snapshot was taken and is withheld"));
    reply.finish(Json{{"ok", true},
                      {"recorded", true},
                      {"time", format_utc(keyframe->time)},
                      {"jpeg", base64_encode(jpeg)}}
                     .dump());
}

}  // namespace exam
