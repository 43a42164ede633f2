// Reading from the person at the terminal: secrets without echo, and the entrance desk's lines.
// Document numbers come only this way, never as arguments (they would show in ps, shell
// history and logs).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <exam/util/line_assembler.hpp>

namespace exam::tool {

// From the terminal without echo when standard input is one, else one line of standard
// input. nullopt at end of input.
std::optional<std::string> read_secret_line(std::string_view prompt);

bool input_is_terminal();

class TerminalMode;

// The entrance desk's keyboard, where a barcode scanner types too. For as long as it lives the
// terminal hands over every byte as typed (no echo, no line editing, no CR/LF translation of
// its own) and LineAssembler alone cuts them into lines, so that CR, LF and CR LF are each
// one line end. What is typed ahead stays until it is taken or discarded. The terminal's
// settings come back when it is destroyed, and on Ctrl-C or a hang-up too.
class DeskKeyboard {
public:
    DeskKeyboard();
    ~DeskKeyboard();
    DeskKeyboard(const DeskKeyboard&) = delete;
    DeskKeyboard& operator=(const DeskKeyboard&) = delete;

    // Shows `prompt` on standard output, then waits for the next line or key (typed ahead or
    // not). Nothing typed is shown: any line may be a scanned document number. The terminal
    // closing reads as Ctrl-D.
    TypedInput next(std::string_view prompt);

    // Forgets everything typed and not yet taken, in this process and in the terminal's queue;
    // true when there was something.
    bool discard_typed_ahead();

private:
    enum class Read { bytes, nothing, closed };
    Read read_some(int timeout_ms);

    std::unique_ptr<TerminalMode> m_mode;
    LineAssembler m_input;
};

}  // namespace exam::tool
