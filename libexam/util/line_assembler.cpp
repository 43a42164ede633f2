#include <exam/util/line_assembler.hpp>

namespace exam {
namespace {

constexpr char k_end_of_transmission = 0x04;  // Ctrl-D
constexpr char k_backspace = 0x08;
constexpr char k_kill_line = 0x15;  // Ctrl-U
constexpr char k_escape = 0x1b;
constexpr char k_delete = 0x7f;  // what most terminals send for Backspace

bool is_continuation_byte(char byte) {
    return (static_cast<unsigned char>(byte) & 0xC0U) == 0x80U;
}

// Bytes that may stand inside an escape sequence (ECMA-48: parameters, intermediates, final).
bool is_sequence_byte(char byte) {
    return byte >= 0x20 && byte <= 0x7e;
}

}  // namespace

void LineAssembler::feed(std::string_view bytes) {
    for (const char byte : bytes) {
        take(byte);
    }
}

void LineAssembler::settle() {
    if (m_escape == Escape::started) {
        m_partial.clear();
        m_ready.push_back({TypedInput::Kind::escape, {}});
    }
    // An unfinished sequence is dropped: it came from a key, not from a person's typing.
    m_escape = Escape::none;
}

std::optional<TypedInput> LineAssembler::next() {
    if (m_ready.empty()) {
        return std::nullopt;
    }
    TypedInput input = std::move(m_ready.front());
    m_ready.pop_front();
    return input;
}

bool LineAssembler::holds_anything() const {
    return !m_ready.empty() || !m_partial.empty() || m_escape != Escape::none;
}

void LineAssembler::discard() {
    m_ready.clear();
    m_partial.clear();
    m_escape = Escape::none;
}

void LineAssembler::end_line() {
    m_ready.push_back({TypedInput::Kind::line, std::move(m_partial)});
    m_partial.clear();
}

void LineAssembler::take(char byte) {
    // Arrow and function keys send Esc [ ... or Esc O x: swallowed whole, so that they neither
    // act as Esc nor leave "[A" inside the next document number.
    switch (m_escape) {
        case Escape::started:
            if (byte == '[') {
                m_escape = Escape::sequence;
                return;
            }
            if (byte == 'O') {
                m_escape = Escape::single_shift;
                return;
            }
            settle();  // Esc, then an ordinary key
            break;
        case Escape::sequence:
            if (is_sequence_byte(byte)) {
                if (byte >= 0x40) {  // the final byte
                    m_escape = Escape::none;
                }
                return;
            }
            m_escape = Escape::none;  // broken off: the byte is typing of its own
            break;
        case Escape::single_shift:
            m_escape = Escape::none;
            if (is_sequence_byte(byte)) {
                return;
            }
            break;
        case Escape::none: break;
    }

    const bool after_cr = m_after_cr;
    m_after_cr = false;
    switch (byte) {
        case '\r':
            end_line();
            m_after_cr = true;
            return;
        case '\n':
            if (!after_cr) {  // the LF of CR LF ends nothing more
                end_line();
            }
            return;
        case k_end_of_transmission:
            m_partial.clear();
            m_ready.push_back({TypedInput::Kind::end, {}});
            return;
        case k_escape: m_escape = Escape::started; return;
        case k_backspace:
        case k_delete:
            while (!m_partial.empty() && is_continuation_byte(m_partial.back())) {
                m_partial.pop_back();
            }
            if (!m_partial.empty()) {
                m_partial.pop_back();
            }
            return;
        case k_kill_line: m_partial.clear(); return;
        default:
            if (static_cast<unsigned char>(byte) >= 0x20) {
                m_partial.push_back(byte);
            }
            // Other control characters (Tab, Ctrl-letters) are no part of a document number.
            return;
    }
}

}  // namespace exam
