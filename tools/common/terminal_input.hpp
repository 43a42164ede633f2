// Reading from the person at the terminal: secrets without echo, and single keystrokes.
// Document numbers come only this way, never as arguments (they would show in ps, shell
// history and logs).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace exam::tool {

// From the terminal without echo when standard input is one, else one line of standard
// input. nullopt at end of input.
std::optional<std::string> read_secret_line(std::string_view prompt);

// Shows `prompt` on standard output, then reads one keystroke from the terminal without
// waiting for Enter; nullopt at end of input.
std::optional<char> read_keystroke(std::string_view prompt);

bool input_is_terminal();

}  // namespace exam::tool
