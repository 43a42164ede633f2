#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include <exam/service/alarms.hpp>
#include <exam/util/subprocess.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

// Enough of a failing command's error output to say why.
constexpr std::size_t k_shown_output_bytes = 200;

std::string label_of_room(const Site& site, const std::string& room_id) {
    const Room* room = site.find_room(room_id);
    return room != nullptr ? room->label : room_id;
}

std::string label_of_camera(const Site& site, const std::string& room_id,
                            const std::string& camera_id) {
    if (const Room* room = site.find_room(room_id)) {
        for (const Camera& camera : room->cameras) {
            if (camera.id == camera_id) {
                return camera.label;
            }
        }
    }
    return camera_id;
}

std::vector<std::pair<std::string, std::string>> alarm_environment(const AlarmEvent& event,
                                                                   const Site& site) {
    return {
        {"EXAM_ALARM_STATE", event.raised ? "raised" : "ended"},
        {"EXAM_ALARM_KIND", std::string{to_string(event.kind)}},
        {"EXAM_ALARM_CAMERA", event.camera},
        {"EXAM_ALARM_CAMERA_LABEL", label_of_camera(site, event.room, event.camera)},
        {"EXAM_ALARM_ROOM", event.room},
        {"EXAM_ALARM_ROOM_LABEL", label_of_room(site, event.room)},
        {"EXAM_ALARM_SINCE", format_utc(event.since)},
        {"EXAM_ALARM_AT", format_utc(event.at)},
        {"EXAM_ALARM_DETAIL", event.detail.shown},
        {"EXAM_PPE", site.ppe_code},
        {"EXAM_REGION", site.region_code},
    };
}

std::string outcome_problem(const std::string& program, const SubprocessResult& run,
                            Milliseconds give_up_after) {
    if (run.timed_out) {
        return _f("the alarm command \"{}\" was still running after {} and was killed", program,
                  format_span(give_up_after));
    }
    if (!run.exited()) {
        return _f("the alarm command \"{}\" was ended by signal {}", program, run.signal);
    }
    std::string output{
        trim_spaces(run.standard_error.empty() ? run.standard_output : run.standard_error)};
    if (output.size() > k_shown_output_bytes) {
        std::size_t cut = k_shown_output_bytes;
        while (cut > 0 && (static_cast<unsigned char>(output[cut]) & 0xC0) == 0x80) {
            --cut;  // not inside a UTF-8 character
        }
        output = output.substr(0, cut) + "…";
    }
    return _f("the alarm command \"{}\" exited with {}{}", program, run.exit_code,
              output.empty() ? "" : ": " + output);
}

}  // namespace

std::string_view to_string(AlarmKind kind) {
    switch (kind) {
        case AlarmKind::gap: return "gap";
        case AlarmKind::picture: return "picture";
        case AlarmKind::sound: return "sound";
    }
    return "gap";
}

std::optional<AlarmKind> alarm_kind_named(std::string_view name) {
    for (const AlarmKind kind : {AlarmKind::gap, AlarmKind::picture, AlarmKind::sound}) {
        if (to_string(kind) == name) {
            return kind;
        }
    }
    return std::nullopt;
}

// --- AlarmTracker

AlarmTracker::AlarmTracker(Milliseconds after) : m_after(after) {}

std::vector<AlarmEvent> AlarmTracker::observe(const std::string& camera, const std::string& room,
                                              AlarmKind kind, bool present, RecordedText detail,
                                              TimePoint at) {
    const auto key = std::pair{camera, kind};
    auto found = m_conditions.find(key);
    if (!present) {
        if (found == m_conditions.end()) {
            return {};
        }
        const Condition ended = std::move(found->second);
        m_conditions.erase(found);
        if (!ended.raised_at) {
            return {};  // too short to be an alarm
        }
        return {AlarmEvent{camera, ended.room, kind, false, ended.since, at,
                           detail.shown.empty() ? ended.detail : std::move(detail)}};
    }
    if (found == m_conditions.end()) {
        found = m_conditions.emplace(key, Condition{room, at, std::nullopt, {}}).first;
    }
    Condition& condition = found->second;
    condition.room = room;
    condition.detail = std::move(detail);
    if (condition.raised_at || at - condition.since < m_after) {
        return {};
    }
    condition.raised_at = at;
    return {AlarmEvent{camera, room, kind, true, condition.since, at, condition.detail}};
}

std::vector<AlarmEvent> AlarmTracker::active() const {
    std::vector<AlarmEvent> alarms;
    for (const auto& [key, condition] : m_conditions) {
        if (condition.raised_at) {
            alarms.push_back(AlarmEvent{key.first, condition.room, key.second, true,
                                        condition.since, *condition.raised_at, condition.detail});
        }
    }
    return alarms;
}

// --- AlarmNotifier

struct AlarmNotifier::Running {
    std::thread thread;
    std::atomic<bool> done{false};
};

struct AlarmNotifier::Problems {
    std::mutex mutex;
    std::vector<std::string> texts;
};

AlarmNotifier::AlarmNotifier(std::vector<std::string> command, Milliseconds give_up_after)
    : m_command(std::move(command)),
      m_give_up_after(give_up_after),
      m_problems(std::make_shared<Problems>()) {}

AlarmNotifier::~AlarmNotifier() {
    for (const auto& running : m_running) {
        running->thread.join();
    }
}

void AlarmNotifier::reap_finished() {
    std::erase_if(m_running, [](const std::unique_ptr<Running>& running) {
        if (!running->done) {
            return false;
        }
        running->thread.join();
        return true;
    });
}

std::optional<std::string> AlarmNotifier::notify(const AlarmEvent& event, const Site& site) {
    reap_finished();
    if (m_command.empty()) {
        return std::nullopt;
    }
    SubprocessRequest request;
    request.argv = m_command;
    request.set_environment = alarm_environment(event, site);
    request.timeout = m_give_up_after;

    // The thread runs the command to its end; this one waits only until it has started.
    auto started = std::make_shared<std::promise<std::optional<std::string>>>();
    std::future<std::optional<std::string>> start_outcome = started->get_future();
    auto running = std::make_unique<Running>();
    Running* const self = running.get();
    running->thread =
        std::thread([request = std::move(request), started, self, problems = m_problems,
                     give_up_after = m_give_up_after]() mutable {
            bool told = false;
            request.on_started = [&] {
                started->set_value(std::nullopt);
                told = true;
            };
            std::optional<std::string> problem;
            try {
                const SubprocessResult run = run_subprocess(request);
                if (!run.exited() || run.exit_code != 0) {
                    problem = outcome_problem(request.argv.front(), run, give_up_after);
                }
            } catch (const std::exception& error) {
                problem = error.what();
            }
            if (!told) {
                started->set_value(problem);
            } else if (problem) {
                const std::lock_guard lock{problems->mutex};
                problems->texts.push_back(std::move(*problem));
            }
            self->done = true;
        });
    m_running.push_back(std::move(running));
    return start_outcome.get();
}

std::vector<std::string> AlarmNotifier::take_problems() {
    reap_finished();
    const std::lock_guard lock{m_problems->mutex};
    return std::exchange(m_problems->texts, {});
}

}  // namespace exam
