// The entrance desk: a loop for hundreds of people an hour.
#pragma once

#include <optional>
#include <string>

#include <exam/core/site.hpp>
#include <exam/journal/journal.hpp>

namespace exam::tool {

// Reads document numbers line by line (typed, or from a barcode scanner acting as a keyboard),
// shows who it is, and records the entry or the exit on an explicit y; refuses and records a
// document that is on no staff list row, and admits such a person anyway, with a reason, on
// the operator's word. Ends on Ctrl-D or q typed twice (docs/guide-entrance.md). Returns the
// exit code.
int run_entrance_desk(Journal& journal, const Site& site, const std::optional<std::string>& exam,
                      const std::optional<std::string>& actor);

}  // namespace exam::tool
