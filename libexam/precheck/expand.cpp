// A suite's checks as they will run on this site: one camera check per camera.
#include <nlohmann/json.hpp>

#include <exam/precheck/runner.hpp>
#include <exam/util/error.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

using nlohmann::json;

[[noreturn]] void fail_at_check(const Suite& suite, const CheckSpec& check,
                                const std::string& message) {
    throw ConfigError(suite.file, check.line, 1, message);
}

CheckSpec for_camera(const CheckSpec& check, const json& parameters, const Site& site,
                     const Room& room, const Camera& camera) {
    CheckSpec one = check;
    one.id = check.id + ":" + camera.id;
    one.title = _f("{}: {} ({})", check.title, camera.label, room.label);
    json own = parameters;
    own["uri"] = camera.uri;
    own["camera"] = camera.id;
    own["room"] = room.id;
    // Where the recorder writes this camera: while it does, the check reads its pictures
    // from there instead of opening another session on the camera.
    own["recordings"] = site.paths.recordings.string();
    if (camera.width && !own.contains("width")) {
        own["width"] = *camera.width;
        own["height"] = *camera.height;
    }
    if (camera.fps && !own.contains("fps")) {
        own["fps"] = *camera.fps;
    }
    one.parameters_json = own.dump();
    return one;
}

void expand_camera(const Suite& suite, const CheckSpec& check, const Site* site,
                   std::vector<CheckSpec>& out) {
    const json parameters = json::parse(check.parameters_json);
    if (parameters.contains("uri")) {
        if (parameters.contains("cameras") || parameters.contains("room")) {
            fail_at_check(suite, check,
                          _f("camera check \"{}\" names one \"uri\" and also \"cameras\" or "
                             "\"room\"; keep one of them",
                             check.id));
        }
        out.push_back(check);
        return;
    }
    if (site == nullptr) {
        CheckSpec unable = check;
        json problem = parameters;
        problem["problem"] =
            _("no site file: give the check a \"uri\", or run with --site FILE "
              "to check every camera of the site");
        problem["problem_status"] = "error";  // the cameras went unchecked
        unable.parameters_json = problem.dump();
        out.push_back(unable);
        return;
    }
    const auto wanted = parameters.value("cameras", std::vector<std::string>{});
    const std::string room_id = parameters.value("room", std::string{});
    std::vector<std::string_view> all_ids;
    std::vector<std::string_view> room_ids;
    for (const Room& room : site->rooms) {
        room_ids.push_back(room.id);
        for (const Camera& camera : room.cameras) {
            all_ids.push_back(camera.id);
        }
    }
    for (const std::string& id : wanted) {
        if (std::find(all_ids.begin(), all_ids.end(), id) == all_ids.end()) {
            fail_at_check(suite, check,
                          _f("camera check \"{}\": the site {} has no camera \"{}\"", check.id,
                             site->file.string(), id) +
                              did_you_mean(id, all_ids, _("its cameras are")));
        }
    }
    if (!room_id.empty() && site->find_room(room_id) == nullptr) {
        fail_at_check(suite, check,
                      _f("camera check \"{}\": the site {} has no room \"{}\"", check.id,
                         site->file.string(), room_id) +
                          did_you_mean(room_id, room_ids, _("its rooms are")));
    }
    const std::size_t before = out.size();
    for (const Room& room : site->rooms) {
        if (!room_id.empty() && room.id != room_id) {
            continue;
        }
        for (const Camera& camera : room.cameras) {
            if (wanted.empty() ||
                std::find(wanted.begin(), wanted.end(), camera.id) != wanted.end()) {
                out.push_back(for_camera(check, parameters, *site, room, camera));
            }
        }
    }
    if (out.size() == before) {
        CheckSpec none = check;
        json problem = parameters;
        problem["problem"] = room_id.empty() ? _("the site file lists no cameras")
                                             : _f("room {} has no cameras", room_id);
        none.parameters_json = problem.dump();
        out.push_back(none);
    }
}

}  // namespace

std::vector<CheckSpec> expand_checks(const Suite& suite, const Site* site) {
    std::vector<CheckSpec> checks;
    for (const CheckSpec& check : suite.checks) {
        if (check.type == "camera") {
            expand_camera(suite, check, site, checks);
        } else {
            checks.push_back(check);
        }
    }
    return checks;
}

}  // namespace exam
