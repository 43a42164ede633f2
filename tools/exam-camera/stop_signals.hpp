// Ctrl-C and SIGTERM as a flag that the recorder and the service watch, and what asked.
#pragma once

#include <atomic>
#include <string_view>

namespace exam::camera {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& stop_on_signals();
// What asked to stop, for the journal's recording-stop entries: sigterm or ctrl-c.
std::string_view stop_reason();

}  // namespace exam::camera
