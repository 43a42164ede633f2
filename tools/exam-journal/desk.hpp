// The entrance desk: a loop for hundreds of people an hour.
#pragma once

#include <optional>
#include <string>

#include <exam/core/site.hpp>
#include <exam/journal/journal.hpp>

namespace exam::tool {

// Reads a document number (typed or from a barcode scanner acting as a keyboard), shows who
// it is, and records the entry or the exit on one keystroke (Enter). Ends at end of input or
// an empty line. Returns the exit code.
int run_entrance_desk(Journal& journal, const Site& site, const std::optional<std::string>& exam,
                      const std::optional<std::string>& actor);

}  // namespace exam::tool
