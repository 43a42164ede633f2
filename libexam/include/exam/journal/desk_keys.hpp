// What the entrance desk makes of a typed line. The desk reads whole lines only, so a barcode
// scan (a document number and Enter, typed faster than a person) is never taken one character
// at a time as a key. Every key works in the Latin and the Russian layout, in either case,
// because the operator cannot see which layout is on: the same key gives y or н, n or т,
// q or й, a or ф (ЙЦУКЕН).
#pragma once

#include <string_view>

#include <exam/export.hpp>

namespace exam {

// An answer to "admit?" or "record the exit?".
enum class DeskAnswer {
    yes,      // y / н
    no,       // n / т (Esc, a key of its own, skips too)
    nothing,  // an empty line: a stray Enter or a scanner's extra line end, never a yes
    scan,     // a document number: someone scanned before the question was answered
    other,    // any other typing
};
EXAM_EXPORT DeskAnswer desk_answer(std::string_view line);

// A line typed at the "Document:" prompt.
enum class DeskCommand {
    document,      // anything else: a document number, scanned or typed
    nothing,       // an empty line: the desk asks again
    quit,          // q / й: twice in a row ends the desk
    admit_anyway,  // a / ф: admit, with a reason, the person the desk refused just now
};
EXAM_EXPORT DeskCommand desk_command(std::string_view line);

}  // namespace exam
