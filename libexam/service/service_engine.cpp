#include <algorithm>
#include <condition_variable>
#include <thread>

#include <fmt/ranges.h>
#include <unistd.h>

#include <exam/journal/site_journal.hpp>
#include <exam/recording/keyframe.hpp>
#include <exam/service/control_socket.hpp>
#include <exam/service/recording_module.hpp>
#include <exam/service/recording_schedule.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "service/service_engine.hpp"

namespace exam {
namespace {

// The control loop's pace: a schedule's start or stop happens within this of its time.
constexpr auto k_tick = std::chrono::milliseconds{500};
// The metrics file is rewritten this often (node_exporter reads it when scraped).
constexpr auto k_metrics_every = std::chrono::seconds{10};
// Sound is lost when none was written for this long while the picture records.
constexpr auto k_sound_silence = std::chrono::seconds{5};

std::chrono::year_month_day local_day(const Site& site, TimePoint at) {
    return std::chrono::year_month_day{
        std::chrono::floor<std::chrono::days>(site.timezone.to_local(at))};
}

std::string reason_of(const CameraWant& want) {
    if (want.source == WantSource::schedule) {
        return "schedule";
    }
    return want.reason.value_or("by-hand");
}

}  // namespace

void ServiceLog::line(const std::string& text) {
    const std::lock_guard lock{m_mutex};
    m_out << format_utc(now()) << "  " << text << std::endl;
}

ServiceEngine::ServiceEngine(const Site& site, const ServiceOptions& options, std::ostream& log)
    : m_site(site),
      m_log(log),
      m_journal(open_site_journal(site), std::nullopt, std::string{"exam-camera service"}),
      m_alarms(site.service.alarm_after),
      m_notifier(site.service.alarm_command) {
    if (options.at) {
        m_shift = std::chrono::duration_cast<Milliseconds>(*options.at - now());
        m_shifted = true;
    }
    // The index made once here: cameras starting together must not each create its tables.
    SegmentIndex::open(site.paths.recordings);
    RecorderOptions recorder;
    recorder.recordings = site.paths.recordings;
    recorder.segment_length = site.recording.segment;
    recorder.stall_timeout = site.recording.watchdog;
    recorder.reserve = site.recording.reserve;
    const WorkerNews news{
        .switched =
            [this](const CameraSource& camera, const CameraSwitch& change,
                   const SwitchReason& why) {
                JournalEntry entry;
                entry.kind = change.on ? EntryKind::recording_start : EntryKind::recording_stop;
                entry.room = camera.room;
                entry.camera = camera.camera;
                entry.actor = why.actor;
                if (change.on) {
                    entry.reason = change.after_crash
                                       ? std::string{recording_reason::restart_after_crash}
                                       : why.reason;
                } else {
                    entry.reason = change.cause == SwitchOffCause::disk_full
                                       ? std::string{recording_reason::disk_full}
                                   : change.cause == SwitchOffCause::failed
                                       ? std::string{recording_reason::error}
                                       : why.reason;
                    if (!change.detail.empty()) {
                        entry.note = change.detail;
                    }
                }
                m_log.line(fmt::format("{}: recording {} ({}, {})", camera.camera,
                                       change.on ? "on" : "off", *entry.reason, why.actor));
                journal(std::move(entry));
            },
        .segment =
            [this](const SegmentRecord& segment) {
                if (const auto refused = m_journal.segment_finished(segment)) {
                    m_log.line(segment.camera +
                               ": ALARM: the journal refused the entry: " + *refused);
                }
            },
        .gap =
            [this](const GapRecord& gap) {
                JournalEntry entry;
                entry.kind = EntryKind::recording_gap;
                entry.room = gap.room;
                entry.camera = gap.camera;
                entry.note =
                    fmt::format("from {} to {}", format_utc(gap.started), format_utc(gap.ended));
                // Fixed words: the reason in words (gap.reason) is in the server's language.
                switch (gap.cause) {
                    case GapCause::no_picture:
                        entry.reason = std::string{recording_reason::no_picture};
                        break;
                    case GapCause::disk_full:
                        entry.reason = std::string{recording_reason::disk_full};
                        break;
                    case GapCause::recorder_stopped:
                        entry.reason = std::string{recording_reason::restart_after_crash};
                        break;
                }
                journal(std::move(entry));
            },
        .event = [this](const std::string& camera,
                        const RecordedText& what) { m_log.line(camera + ": " + what.shown); }};
    for (const Room& room : site.rooms) {
        for (const Camera& camera : room.cameras) {
            const CameraSource source{camera.id, room.id, camera.uri,
                                      site.keeps_sound(room, camera)};
            m_cameras.push_back(
                CameraSlot{.room = &room,
                           .camera = &camera,
                           .worker = std::make_unique<CameraWorker>(source, recorder, news),
                           .health = KeyframeHealth{},
                           .health_status = {},
                           .next_health = {}});
        }
    }
    // Staggered: camera i is first judged i/N of the interval after the start, so that no two
    // decode at once.
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < m_cameras.size(); ++i) {
        m_cameras[i].next_health = start + site.service.health_every * static_cast<long>(i + 1) /
                                               static_cast<long>(m_cameras.size());
    }
    m_wanted = load_wanted_state(wanted_state_path(site));
    m_day = local_day(site, clock());
}

ServiceEngine::~ServiceEngine() = default;

TimePoint ServiceEngine::clock() const {
    return now() + m_shift;
}

void ServiceEngine::run(const std::atomic<bool>& stop) {
    const uid_t user = ::geteuid();
    const ControlAccess access = control_access(user, m_site.service.control_group);
    if (!access.group) {
        m_log.line(
            fmt::format("the control group \"{}\" does not exist: only root and this "
                        "service's user may start and stop cameras",
                        m_site.service.control_group));
    }
    ControlServer server(
        control_socket_path(m_site), access,
        [this](const Caller& caller, const std::string& command, const std::string& request,
               ReplyStream& reply) { answer(caller, command, request, reply); });
    if (!m_journal.problem().empty()) {
        m_log.line("WARNING: nothing goes into the journal: " + m_journal.problem());
    }
    m_log.line(fmt::format(
        "recording service started for {} camera(s); socket {}{}", m_cameras.size(),
        control_socket_path(m_site).string(),
        m_shifted ? fmt::format("; rehearsal clock at {}", format_utc(clock())) : std::string{}));
    std::thread serving([&] { server.serve(stop); });
    bool first = true;
    while (!stop.load()) {
        tick(first);
        first = false;
        std::this_thread::sleep_for(k_tick);  // the loop's pace, not a wait for anything
    }
    m_log.line("stopping every camera; what is wanted stays as it is for the next start");
    std::vector<std::thread> stopping;
    for (CameraSlot& slot : m_cameras) {
        stopping.emplace_back([&slot] {
            slot.worker->stop({std::string{recording_reason::sigterm}, "exam-camera service"});
        });
    }
    for (std::thread& thread : stopping) {
        thread.join();
    }
    for (std::future<void>& stopper : m_stoppers) {
        stopper.wait();
    }
    serving.join();
    write_metrics();
    if (const auto refused = m_journal.close()) {
        m_log.line("the journal's checkpoint could not be signed: " + *refused);
    }
}

void ServiceEngine::tick(bool first) {
    std::erase_if(m_stoppers, [](const std::future<void>& stopper) {
        return stopper.wait_for(std::chrono::seconds{0}) == std::future_status::ready;
    });
    const auto today = local_day(m_site, clock());
    if (today != m_day) {
        m_day = today;
        for (CameraSlot& slot : m_cameras) {
            slot.worker->new_day();
        }
    }
    follow_wants(first);
    check_health();
    watch_alarms();
    if (std::chrono::steady_clock::now() >= m_next_metrics) {
        write_metrics();
        m_next_metrics = std::chrono::steady_clock::now() + k_metrics_every;
    }
}

// Each camera does what is wanted of it: by hand until the schedule next changes, else by the
// schedule (recording_schedule.hpp). The first tick resumes what a previous run left wanted.
void ServiceEngine::follow_wants(bool first) {
    const TimePoint at = clock();
    bool changed = false;
    for (CameraSlot& slot : m_cameras) {
        std::optional<CameraWant> by_hand;
        std::optional<CameraWant> before;
        {
            const std::lock_guard lock{m_mutex};
            const auto found = m_wanted.cameras.find(slot.camera->id);
            if (found != m_wanted.cameras.end()) {
                before = found->second;
                if (found->second.source == WantSource::by_hand) {
                    by_hand = found->second;
                }
            }
        }
        const Decision decision = decide(m_site, *slot.room, by_hand, at);
        CameraWant want = decision.source == WantSource::by_hand && by_hand
                              ? *by_hand
                              : CameraWant{.on = decision.on,
                                           .source = WantSource::schedule,
                                           .since = at,
                                           .by = "schedule",
                                           .reason = std::nullopt};
        if (before && before->on == want.on && before->source == want.source) {
            want.since = before->since;
        }
        if (!before || before->on != want.on || before->source != want.source) {
            if (by_hand && decision.source == WantSource::schedule) {
                m_log.line(fmt::format("{}: the schedule takes over again ({})", slot.camera->id,
                                       decision.why));
            }
            const std::lock_guard lock{m_mutex};
            m_wanted.cameras[slot.camera->id] = want;
            changed = true;
        }
        const std::string reason = first && before && before->on ? "resume" : reason_of(want);
        if (want.on) {
            slot.worker->start({reason, want.by});
        } else if (slot.worker->running()) {
            // Not in the loop's thread: a stop waits for the files to be complete.
            m_stoppers.push_back(std::async(
                std::launch::async, [worker = slot.worker.get(),
                                     why = SwitchReason{reason, want.by}] { worker->stop(why); }));
        }
    }
    if (changed) {
        save_wants();
    }
}

void ServiceEngine::save_wants() {
    const std::lock_guard lock{m_mutex};
    try {
        save_wanted_state(wanted_state_path(m_site), m_wanted);
    } catch (const Error& e) {
        m_log.line(std::string{"ALARM: "} + e.what());
    }
}

// One keyframe per camera per interval, staggered (the slots' next_health), judged with the
// pre-check's picture analysis.
void ServiceEngine::check_health() {
    if (m_site.service.health_every.count() <= 0) {
        return;
    }
    const auto steady = std::chrono::steady_clock::now();
    for (CameraSlot& slot : m_cameras) {
        if (steady < slot.next_health) {
            continue;
        }
        slot.next_health += m_site.service.health_every;
        if (slot.next_health < steady) {
            slot.next_health = steady + m_site.service.health_every;
        }
        const std::optional<Keyframe> keyframe = slot.worker->latest_keyframe();
        if (!keyframe || slot.worker->status().state != CameraState::recording) {
            const std::lock_guard lock{m_mutex};
            slot.health_status = {};
            slot.health_problems.clear();
            continue;
        }
        try {
            const DecodedPicture picture = decode_keyframe(*keyframe, k_health_decoding);
            std::vector<RecordedText> problems;
            std::vector<std::string> shown;
            for (const PictureFinding& finding : slot.health.judge(picture.gray_view())) {
                problems.push_back(finding.text);
                shown.push_back(finding.text.shown);
            }
            const std::lock_guard lock{m_mutex};
            slot.health_status = {.checked_at = now(), .problems = std::move(shown)};
            slot.health_problems = std::move(problems);
        } catch (const Error& e) {
            m_log.line(slot.camera->id + ": its keyframe could not be judged: " + e.what());
        }
    }
}

void ServiceEngine::watch_alarms() {
    const TimePoint at = now();
    std::vector<AlarmEvent> events;
    for (const CameraSlot& slot : m_cameras) {
        const WorkerStatus worker = slot.worker->status();
        const std::lock_guard lock{m_mutex};
        const auto want = m_wanted.cameras.find(slot.camera->id);
        const bool wanted_on = want != m_wanted.cameras.end() && want->second.on;
        const auto observe = [&](AlarmKind kind, bool present, RecordedText detail) {
            for (AlarmEvent& event : m_alarms.observe(slot.camera->id, slot.room->id, kind, present,
                                                      std::move(detail), at)) {
                events.push_back(std::move(event));
            }
        };
        observe(AlarmKind::gap, wanted_on && worker.state != CameraState::recording,
                worker.last_problem);
        // The words are made only for a condition present: this runs for every camera often.
        const auto& problems = slot.health_problems;
        const bool unhealthy = wanted_on && !problems.empty();
        observe(AlarmKind::picture, unhealthy,
                unhealthy ? recorded_and_shown(
                                [&] { return fmt::format("{}", fmt::join(problems, "; ")); })
                          : RecordedText{});
        const bool silent = wanted_on && worker.had_sound &&
                            worker.state == CameraState::recording &&
                            (!worker.last_sound || at - *worker.last_sound > k_sound_silence);
        observe(AlarmKind::sound, silent,
                silent ? _rf("no sound from a camera that had sound") : RecordedText{});
    }
    for (const AlarmEvent& event : events) {
        m_log.line(fmt::format("{}: ALARM {} {}: {}", event.camera, to_string(event.kind),
                               event.raised ? "raised" : "ended", event.detail.shown));
        JournalEntry entry;
        entry.kind = event.raised ? EntryKind::alarm : EntryKind::alarm_end;
        entry.room = event.room;
        entry.camera = event.camera;
        entry.reason = std::string{to_string(event.kind)};
        entry.note = event.raised ? fmt::format("since {}: {}", format_utc(event.since),
                                                event.detail.recorded)
                                  : fmt::format("since {}", format_utc(event.since));
        journal(std::move(entry));
        if (const auto problem = m_notifier.notify(event, m_site)) {
            m_log.line("the alarm command could not be run: " + *problem);
        }
    }
    for (const std::string& problem : m_notifier.take_problems()) {
        m_log.line("the alarm command failed: " + problem);
    }
}

void ServiceEngine::write_metrics() {
    if (!m_site.service.metrics_file) {
        return;
    }
    try {
        write_metrics_file(*m_site.service.metrics_file, prometheus_metrics(status(), m_site));
    } catch (const Error& e) {
        m_log.line(std::string{"the metrics file could not be written: "} + e.what());
    }
}

void ServiceEngine::journal(JournalEntry entry) {
    if (const auto refused = m_journal.add(std::move(entry))) {
        m_log.line("ALARM: the journal refused an entry: " + *refused);
    }
}

void ServiceEngine::expect_journalled(std::size_t before, const std::string& done) const {
    const std::size_t missing = m_journal.unjournalled() - before;
    if (missing == 0) {
        return;
    }
    const std::string why =
        m_journal.problem().empty() ? std::string{} : ": " + m_journal.problem();
    throw StorageError(_f(
        "{}, but {} of its journal entries could not be written{}; the service's log "
        "(exam-camera-service.log in the data folder) names each; mend the journal (exam-journal "
        "verify says what is wrong with it) and note the time by hand meanwhile",
        done, missing, why));
}

ServiceEngine::CameraSlot* ServiceEngine::slot_of(const std::string& camera) {
    for (CameraSlot& slot : m_cameras) {
        if (slot.camera->id == camera) {
            return &slot;
        }
    }
    return nullptr;
}

CameraStatus ServiceEngine::camera_status(const CameraSlot& slot, const WorkerStatus& worker,
                                          const std::vector<AlarmEvent>& alarms) const {
    CameraStatus status;
    status.camera = slot.camera->id;
    status.room = slot.room->id;
    status.room_label = slot.room->label;
    status.camera_label = slot.camera->label;
    status.state = worker.state;
    status.since = worker.since;
    status.bytes_today = worker.bytes_today;
    status.current_segment = worker.current_segment;
    status.gaps_today = worker.gaps_today;
    status.gap_time_today = worker.gap_time_today;
    status.health = slot.health_status;
    const bool silent =
        worker.had_sound && (!worker.last_sound || now() - *worker.last_sound > k_sound_silence);
    status.sound = !worker.had_sound ? SoundState::none
                   : silent          ? SoundState::lost
                                     : SoundState::present;
    for (const AlarmEvent& alarm : alarms) {
        if (alarm.camera == slot.camera->id) {
            status.alarms.push_back(alarm);
        }
    }
    const auto want = m_wanted.cameras.find(slot.camera->id);
    status.wanted_on = want != m_wanted.cameras.end() && want->second.on;
    status.want_source =
        want != m_wanted.cameras.end() ? want->second.source : WantSource::schedule;
    status.last_problem = worker.last_problem.shown;
    return status;
}

ServiceStatus ServiceEngine::status() {
    ServiceStatus status;
    status.now = clock();
    status.shifted_clock = m_shifted;
    status.service_user = user_name_of(::geteuid());
    status.pid = static_cast<int>(::getpid());
    status.unjournalled = m_journal.unjournalled();
    for (const CameraSlot& slot : m_cameras) {
        const WorkerStatus worker = slot.worker->status();
        const std::lock_guard lock{m_mutex};
        status.cameras.push_back(camera_status(slot, worker, m_alarms.active()));
    }
    return status;
}

int run_recording_service(const Site& site, const ServiceOptions& options,
                          const std::atomic<bool>& stop, std::ostream& log) {
    ServiceEngine engine{site, options, log};
    engine.run(stop);
    return 0;
}

}  // namespace exam

int exam_recording_service(const exam::Site& site, const exam::ServiceOptions& options,
                           const std::atomic<bool>& stop, std::ostream& log) {
    return exam::run_recording_service(site, options, stop, log);
}
