// Segments a crash or a power cut left open (.partial, or .crashed when a recovery itself was
// cut short): their synced fragments are copied into a clean file that enters the index as
// recovered, and the stretch from their end to the next picture is the recorder's to account
// for as a gap. Private to libexam-recording.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <exam/recording/recorder.hpp>
#include <exam/util/time.hpp>

namespace exam {

struct CrashRecovery {
    bool found = false;                     // the camera's folder held segments left open
    std::optional<TimePoint> outage_since;  // where what was kept of them ends
};

// Recovers every segment the camera's folder holds open, oldest first; `now` stands in for a
// segment whose start cannot be read from its name. Says what it did through `event`.
CrashRecovery recover_crashed_segments(const CameraSource& source, const RecorderOptions& options,
                                       TimePoint now,
                                       const std::function<void(const RecordedText&)>& event);

}  // namespace exam
