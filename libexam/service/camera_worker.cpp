#include "service/camera_worker.hpp"

#include <fmt/ranges.h>

#include <exam/journal/entry.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

// A recording that ended in an error (its folder, the disk) is tried again this much later.
constexpr auto k_retry_after = std::chrono::seconds{10};

RecordedText outcome_problem(const RecordingOutcome& outcome) {
    for (const auto* list : {&outcome.failed, &outcome.not_started, &outcome.never_recorded}) {
        if (!list->empty()) {
            return recorded_and_shown([list] { return fmt::format("{}", fmt::join(*list, "; ")); });
        }
    }
    if (!outcome.held_elsewhere.empty()) {
        return _rf("another exam-camera record is recording this camera; stop it");
    }
    if (outcome.disk_full) {
        return _rf("the recordings' disk is down to its reserve");
    }
    return _rf("the recording ended");
}

}  // namespace

CameraWorker::CameraWorker(CameraSource source, RecorderOptions base, WorkerNews news)
    : m_source(std::move(source)), m_options(std::move(base)), m_news(std::move(news)) {
    const auto clock = [this] { return m_options.wall_clock ? m_options.wall_clock() : now(); };
    m_status.since = clock();  // stopped since the service started, not since 1970
    m_options.on_switch = [this](const CameraSource& camera, const CameraSwitch& change) {
        SwitchReason why;
        {
            const std::lock_guard lock{m_mutex};
            why = change.on ? m_start_why : m_stop_why;
        }
        if (m_news.switched) {
            m_news.switched(camera, change, why);
        }
    };
    m_options.on_picture = [this, clock](const CameraSource&, bool has_picture) {
        const std::lock_guard lock{m_mutex};
        m_status.state = has_picture ? CameraState::recording : CameraState::retrying;
        m_status.since = clock();
        if (has_picture) {
            m_pictured = true;
            m_status.last_problem = {};
        }
        m_changed.notify_all();
    };
    m_options.on_segment = [this](const SegmentRecord& segment) {
        {
            const std::lock_guard lock{m_mutex};
            m_status.bytes_today += segment.bytes;
        }
        if (m_news.segment) {
            m_news.segment(segment);
        }
    };
    m_options.on_gap = [this](const GapRecord& gap) {
        {
            const std::lock_guard lock{m_mutex};
            ++m_status.gaps_today;
            m_status.gap_time_today +=
                std::chrono::duration_cast<Milliseconds>(gap.ended - gap.started);
        }
        if (m_news.gap) {
            m_news.gap(gap);
        }
    };
    m_options.on_event = [this](const std::string& camera, const RecordedText& what) {
        {
            const std::lock_guard lock{m_mutex};
            if (m_status.state != CameraState::recording) {
                m_status.last_problem = what;
            }
        }
        if (m_news.event) {
            m_news.event(camera, what);
        }
    };
    m_options.on_segment_started = [this](const CameraSource&, const std::string& file) {
        const std::lock_guard lock{m_mutex};
        m_status.current_segment = file;
    };
    m_options.on_sound = [this, clock](const CameraSource&) {
        const std::lock_guard lock{m_mutex};
        m_status.last_sound = clock();
        m_status.had_sound = true;
    };
    m_options.on_keyframe = [this](const CameraSource&, const Keyframe& keyframe) {
        const std::lock_guard lock{m_mutex};
        m_keyframe = keyframe;
    };
}

CameraWorker::~CameraWorker() {
    if (running()) {
        stop({std::string{recording_reason::sigterm}, {}});
    }
}

bool CameraWorker::start(SwitchReason why) {
    const std::lock_guard control{m_control};
    if (running()) {
        return false;
    }
    if (m_thread.joinable()) {
        m_thread.join();
    }
    {
        const std::lock_guard lock{m_mutex};
        m_start_why = std::move(why);
        m_pictured = false;
        m_status.state = CameraState::starting;
        m_status.since = m_options.wall_clock ? m_options.wall_clock() : now();
        m_status.had_sound = false;
        m_status.last_sound.reset();
        m_status.last_problem = {};
    }
    m_stop.store(false);
    m_thread = std::thread([this] { run(); });
    return true;
}

bool CameraWorker::stop(SwitchReason why) {
    const std::lock_guard control{m_control};
    const bool was_running = running();
    {
        const std::lock_guard lock{m_mutex};
        m_stop_why = std::move(why);
    }
    m_stop.store(true);
    m_changed.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
    return was_running;
}

bool CameraWorker::running() const {
    return m_thread.joinable() && !m_stop.load();
}

std::optional<std::string> CameraWorker::wait_for_picture(
    std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock{m_mutex};
    if (m_changed.wait_until(lock, deadline, [this] { return m_pictured || m_stop.load(); }) &&
        m_pictured) {
        return std::nullopt;
    }
    return m_status.last_problem.shown.empty() ? _("no picture yet") : m_status.last_problem.shown;
}

WorkerStatus CameraWorker::status() const {
    const std::lock_guard lock{m_mutex};
    return m_status;
}

std::optional<Keyframe> CameraWorker::latest_keyframe() const {
    const std::lock_guard lock{m_mutex};
    return m_keyframe;
}

void CameraWorker::new_day() {
    const std::lock_guard lock{m_mutex};
    m_status.bytes_today = 0;
    m_status.gaps_today = 0;
    m_status.gap_time_today = Milliseconds{0};
}

void CameraWorker::run() {
    while (!m_stop.load()) {
        RecordedText problem;
        try {
            problem = outcome_problem(record_cameras({m_source}, m_options, m_stop));
        } catch (const std::exception& e) {
            problem = recorded_text(e);  // the recordings folder or its index: tried again later
        }
        if (m_stop.load()) {
            break;
        }
        if (m_news.event) {
            m_news.event(m_source.camera, problem);
        }
        std::unique_lock lock{m_mutex};
        m_status.state = CameraState::failed;
        m_status.since = m_options.wall_clock ? m_options.wall_clock() : now();
        m_status.last_problem = problem;
        m_changed.notify_all();
        m_changed.wait_for(lock, k_retry_after, [this] { return m_stop.load(); });
    }
    const std::lock_guard lock{m_mutex};
    m_status.state = CameraState::stopped;
    m_status.since = m_options.wall_clock ? m_options.wall_clock() : now();
    m_status.current_segment.reset();
    m_keyframe.reset();
    m_changed.notify_all();
}

}  // namespace exam
