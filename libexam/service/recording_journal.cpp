#include <exam/service/recording_journal.hpp>
#include <exam/util/error.hpp>

namespace exam {

RecordingJournal::RecordingJournal(SiteJournal journal, std::optional<std::string> exam,
                                   std::optional<std::string> actor)
    : m_site_journal(std::move(journal)), m_exam(std::move(exam)), m_actor(std::move(actor)) {}

std::optional<std::string> RecordingJournal::camera_switched(const CameraSource& camera,
                                                             const CameraSwitch& change,
                                                             std::string_view stop_reason) {
    JournalEntry entry;
    entry.kind = change.on ? EntryKind::recording_start : EntryKind::recording_stop;
    entry.room = camera.room;
    entry.camera = camera.camera;
    if (change.on && change.after_crash) {
        entry.reason = std::string{recording_reason::restart_after_crash};
    } else if (!change.on) {
        switch (change.cause) {
            case SwitchOffCause::requested: entry.reason = std::string{stop_reason}; break;
            case SwitchOffCause::disk_full:
                entry.reason = std::string{recording_reason::disk_full};
                break;
            case SwitchOffCause::failed: entry.reason = std::string{recording_reason::error}; break;
        }
    }
    return append(std::move(entry));
}

std::optional<std::string> RecordingJournal::segment_finished(const SegmentRecord& segment) {
    JournalEntry entry;
    entry.kind = EntryKind::segment;
    entry.room = segment.room;
    entry.camera = segment.camera;
    entry.exam = segment.exam;
    entry.note = segment_note(segment);
    return append(std::move(entry));
}

std::optional<std::string> RecordingJournal::add(JournalEntry entry) {
    return append(std::move(entry));
}

std::optional<std::string> RecordingJournal::append(JournalEntry entry) {
    const std::lock_guard lock{m_mutex};
    if (!m_site_journal.kept) {
        return std::nullopt;
    }
    if (!m_site_journal.journal) {
        ++m_unjournalled;  // said once at the start and once at the end, not per entry
        return std::nullopt;
    }
    if (!entry.exam) {
        entry.exam = m_exam;
    }
    if (!entry.actor) {
        entry.actor = m_actor;
    }
    try {
        m_site_journal.journal->append(std::move(entry));
        return std::nullopt;
    } catch (const Error& e) {
        ++m_unjournalled;
        return std::string{e.what()};
    }
}

std::optional<std::string> RecordingJournal::close() {
    const std::lock_guard lock{m_mutex};
    if (!m_site_journal.journal) {
        return std::nullopt;
    }
    try {
        m_site_journal.journal->close();
        return std::nullopt;
    } catch (const Error& e) {
        ++m_unjournalled;
        return std::string{e.what()};
    }
}

std::size_t RecordingJournal::unjournalled() const {
    const std::lock_guard lock{m_mutex};
    return m_unjournalled;
}

}  // namespace exam
