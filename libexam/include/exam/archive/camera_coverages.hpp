// Each chosen camera's coverage of its window as the exam point's own records tell it: the
// recordings' index (segments, the recorder's gaps, network damage, files deleted after
// retention) and the journal (the times the recording was switched off, and by whom). What
// neither explains is missing. Used by `exam-camera coverage` and the export's manifest.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <exam/archive/camera_windows.hpp>
#include <exam/archive/coverage.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/journal/entry.hpp>
#include <exam/util/duration.hpp>

namespace exam {

// Each camera's coverage, in the order given. Reads the index and the journal read-only; a
// missing index means nothing was recorded, a missing journal that no switch is explained.
EXAM_EXPORT std::vector<CameraCoverage> camera_coverages(const Site& site,
                                                         std::span<const CameraWindow> cameras);

// The stretches in which the journal says `camera` was switched off: from each of its
// `recording-stop` entries to its next `recording-start` (or to `until`), as gap rows whose
// reason says why and who ("recording switched off (ctrl-c) by root"). The recorder's own
// start and stop take a moment beyond the entries — connecting to the camera before the first
// picture, closing the last segment before the stop is written — so a stretch reaches back to
// the end of the camera's last row before the stop and on to its first row after the start
// (`rows`: the camera's segments and gaps), each at most `margin` away.
EXAM_EXPORT std::vector<GapRecord> switched_off_stretches(std::span<const JournalEntry> entries,
                                                          const std::string& camera,
                                                          std::span<const TimeRange> rows,
                                                          TimePoint until, Milliseconds margin);

}  // namespace exam
