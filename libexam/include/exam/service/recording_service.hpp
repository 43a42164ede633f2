// The recording service (`exam-camera service`): records each room's cameras on its recording
// window by itself, starts and stops them as `exam-camera start`/`stop` ask over the control
// socket, watches their pictures, sound and gaps, raises alarms, writes metrics, and resumes
// after a crash exactly the cameras that were recording (the wanted state is on disk).
// Lives in libexam-recording (FFmpeg); exam-camera reaches it through recording_module.hpp.
#pragma once

#include <atomic>
#include <optional>
#include <ostream>

#include <exam/core/site.hpp>
#include <exam/util/time.hpp>

namespace exam {

struct ServiceOptions {
    // A rehearsal's clock: the schedule runs as if it were this moment when the service
    // starts, and on from there. Recordings and the journal keep the real time.
    std::optional<TimePoint> at;
};

// Runs until `stop` becomes true; then stops every camera (their files complete and indexed)
// without changing what is wanted, so that the next start resumes them. `log` gets a
// timestamped line per event (the systemd journal, under a unit). Exit code 0, or throws.
int run_recording_service(const Site& site, const ServiceOptions& options,
                          const std::atomic<bool>& stop, std::ostream& log);

}  // namespace exam
