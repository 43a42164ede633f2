// JSON output through nlohmann-json, written the same way by every command.
#pragma once

#include <ostream>

#include <nlohmann/json_fwd.hpp>

#include <exam/export.hpp>

namespace exam {

// Indented by two spaces, UTF-8 kept as is (not \u-escaped), ending with a newline. Invalid
// UTF-8 from outside (a camera's label, a check's output) is replaced, never a crash.
// Keys keep the order they were written in, which is the order a reader expects.
using Json = nlohmann::ordered_json;

EXAM_EXPORT void write_json(std::ostream& out, const Json& value);

}  // namespace exam
