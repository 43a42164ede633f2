// Keystrokes cut into lines, whoever typed them: a person or a barcode scanner acting as a
// keyboard (which types a whole line, Enter included, faster than the program reads it).
//
// The terminal is read byte by byte in non-canonical mode with its own CR/LF translation off,
// so that this one place decides what ends a line: CR, LF and CR LF are each one line end (a
// scanner's CR LF must not become a line and an empty one). Editing keys a person uses on a
// line that is not shown are applied here: Backspace removes the last character, Ctrl-U the
// whole line. Ctrl-D and Esc are keys of their own, never part of a line, and either drops the
// line being typed.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

struct TypedInput {
    enum class Kind {
        line,    // `text` ended by CR, LF or CR LF (the line end itself not included)
        escape,  // the Esc key (arrow and function keys' escape sequences are dropped)
        end,     // Ctrl-D: the person asks to stop
    };
    Kind kind = Kind::line;
    std::string text;
};

class EXAM_EXPORT LineAssembler {
public:
    // Takes bytes as the terminal delivered them; a line end or key may be split across calls.
    void feed(std::string_view bytes);

    // Esc is also how arrow and function keys begin: a lone Esc is only known to be the Esc key
    // once no more bytes are waiting. The reader calls this then.
    void settle();

    // The next complete line or key, oldest first.
    std::optional<TypedInput> next();

    // A complete line or key is waiting to be taken.
    bool ready() const { return !m_ready.empty(); }

    // Esc was seen and what follows it has not arrived yet (see settle()).
    bool awaits_rest_of_key() const { return m_escape != Escape::none; }

    // The line being typed, not yet ended (what an echoing reader shows).
    const std::string& partial() const { return m_partial; }

    // Anything typed and not yet taken: complete inputs or a partial line.
    bool holds_anything() const;

    // Forgets everything typed and not yet taken. A CR just seen is remembered, so that the LF
    // of a CR LF arriving afterwards is still not taken for an empty line.
    void discard();

private:
    enum class Escape { none, started, sequence, single_shift };
    void take(char byte);
    void end_line();

    std::deque<TypedInput> m_ready;
    std::string m_partial;
    Escape m_escape = Escape::none;
    bool m_after_cr = false;
};

}  // namespace exam
