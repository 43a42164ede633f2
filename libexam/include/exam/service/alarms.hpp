// Conditions of a recording camera that become alarms once they last: a gap (no picture is
// being recorded), an unhealthy picture, lost sound. The tracker decides when an alarm is
// raised and when it ends; the notifier runs the site's [service] alarm_command for each.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/recorded_text.hpp>
#include <exam/util/time.hpp>

namespace exam {

enum class AlarmKind { gap, picture, sound };

// "gap", "picture", "sound": in the command's environment, status --json, metrics, the journal.
EXAM_EXPORT std::string_view to_string(AlarmKind kind);
EXAM_EXPORT std::optional<AlarmKind> alarm_kind_named(std::string_view name);

struct AlarmEvent {
    std::string camera;
    std::string room;
    AlarmKind kind = AlarmKind::gap;
    bool raised = true;  // false: the alarm ended
    TimePoint since;     // when the condition began
    TimePoint at;        // when it was raised or ended
    // What was seen ("no picture: the camera did not answer; reconnecting"): shown in the
    // service's language, recorded in English for the journal's alarm entries.
    RecordedText detail;
    friend bool operator==(const AlarmEvent&, const AlarmEvent&) = default;
};

// Not thread-safe: the engine calls it from one thread.
class EXAM_EXPORT AlarmTracker {
public:
    // A condition becomes an alarm once it has lasted `after` (zero: at once).
    explicit AlarmTracker(Milliseconds after);

    // The condition is present (with what was seen) or absent for the camera at `at`. Returns
    // what happens now: the alarm raised, once the condition has lasted `after`; its end, when
    // the condition goes away after being raised. A condition that goes away sooner raises
    // nothing. The detail of a raised alarm follows the latest observation.
    std::vector<AlarmEvent> observe(const std::string& camera, const std::string& room,
                                    AlarmKind kind, bool present, RecordedText detail,
                                    TimePoint at);

    // The alarms raised and not ended, by camera and kind.
    [[nodiscard]] std::vector<AlarmEvent> active() const;

private:
    struct Condition {
        std::string room;
        TimePoint since;
        std::optional<TimePoint> raised_at;
        RecordedText detail;
    };
    Milliseconds m_after;
    std::map<std::pair<std::string, AlarmKind>, Condition> m_conditions;
};

// Runs the site's alarm_command for each event, without waiting for it to finish. The program
// gets, besides this process's environment: EXAM_ALARM_STATE (raised|ended), EXAM_ALARM_KIND,
// EXAM_ALARM_CAMERA, EXAM_ALARM_CAMERA_LABEL, EXAM_ALARM_ROOM, EXAM_ALARM_ROOM_LABEL,
// EXAM_ALARM_SINCE and EXAM_ALARM_AT (UTC, "2026-06-01T07:00:00.000Z"), EXAM_ALARM_DETAIL,
// EXAM_PPE, EXAM_REGION (docs/site-file.md). A command still running after `give_up_after` is
// killed with everything it started. notify() is for one thread; the commands run on threads
// of their own, which the destructor waits for.
class EXAM_EXPORT AlarmNotifier {
public:
    explicit AlarmNotifier(std::vector<std::string> command,
                           Milliseconds give_up_after = std::chrono::seconds{30});
    ~AlarmNotifier();
    AlarmNotifier(const AlarmNotifier&) = delete;
    AlarmNotifier& operator=(const AlarmNotifier&) = delete;

    // Starts the command and returns once it runs. A text saying why when it could not be
    // started (no such program, not executable); nullopt when it runs or no command is set.
    // Never throws for a bad command.
    std::optional<std::string> notify(const AlarmEvent& event, const Site& site);

    // What went wrong with commands that started and have ended since the last call: a
    // non-zero exit (with the start of its error output), a signal, a kill at the deadline.
    std::vector<std::string> take_problems();

private:
    struct Running;   // one command's thread
    struct Problems;  // written by the commands' threads, taken by take_problems()
    void reap_finished();

    std::vector<std::string> m_command;
    Milliseconds m_give_up_after;
    std::vector<std::unique_ptr<Running>> m_running;
    std::shared_ptr<Problems> m_problems;
};

}  // namespace exam
