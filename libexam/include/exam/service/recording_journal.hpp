// What the recorder does, in the site's journal: each camera's recording switched on and off
// (the paper equipment journal's "start of recording" and "recording switched off", with
// why) and each finished segment's SHA-256, so that a swapped file cannot pass later. The
// recorder knows no journal; this is the seam between them (RecorderOptions' callbacks).
// Called from every camera's thread at once: thread-safe.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <exam/export.hpp>
#include <exam/journal/site_journal.hpp>
#include <exam/recording/recorder.hpp>
#include <exam/recording/segment_index.hpp>

namespace exam {

class EXAM_EXPORT RecordingJournal {
public:
    RecordingJournal(SiteJournal journal, std::optional<std::string> exam,
                     std::optional<std::string> actor);

    // `stop_reason` names what asked for a requested stop (recording_reason::ctrl_c, sigterm).
    // Each returns the journal's refusal in words, or nothing when the entry is in or the
    // station keeps no journal.
    std::optional<std::string> camera_switched(const CameraSource& camera,
                                               const CameraSwitch& change,
                                               std::string_view stop_reason);
    std::optional<std::string> segment_finished(const SegmentRecord& segment);
    // Any other entry of the recording (start, stop, gap, alarm, snapshot): the exam and the
    // actor filled in where the entry has none.
    std::optional<std::string> add(JournalEntry entry);
    // Signs the last checkpoint; a failure is said and counted.
    std::optional<std::string> close();

    // Entries that belong in the journal and are not there.
    [[nodiscard]] std::size_t unjournalled() const;
    [[nodiscard]] bool kept() const { return m_site_journal.kept; }
    // Why the journal is not open, when it should be (empty otherwise).
    [[nodiscard]] const std::string& problem() const { return m_site_journal.problem; }

private:
    std::optional<std::string> append(JournalEntry entry);

    SiteJournal m_site_journal;
    std::optional<std::string> m_exam;
    std::optional<std::string> m_actor;
    mutable std::mutex m_mutex;
    std::size_t m_unjournalled = 0;
};

}  // namespace exam
