#include "common/terminal_input.hpp"
#include <cstdio>
#include <iostream>

#include <termios.h>
#include <unistd.h>

namespace exam::tool {
namespace {

// Restores the terminal's settings however the read ends.
class TerminalMode {
public:
    explicit TerminalMode(tcflag_t clear_flags) {
        m_active = tcgetattr(STDIN_FILENO, &m_saved) == 0;
        if (m_active) {
            termios changed = m_saved;
            changed.c_lflag &= ~clear_flags;
            changed.c_cc[VMIN] = 1;
            changed.c_cc[VTIME] = 0;
            // TCSANOW, not TCSAFLUSH: a barcode scanner types ahead, and its input must not be
            // lost.
            tcsetattr(STDIN_FILENO, TCSANOW, &changed);
        }
    }
    ~TerminalMode() {
        if (m_active) {
            tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
        }
    }
    TerminalMode(const TerminalMode&) = delete;
    TerminalMode& operator=(const TerminalMode&) = delete;

private:
    termios m_saved{};
    bool m_active = false;
};

std::optional<std::string> read_line() {
    std::string line;
    if (!std::getline(std::cin, line)) {
        return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

}  // namespace

bool input_is_terminal() {
    return isatty(STDIN_FILENO) == 1;
}

std::optional<std::string> read_secret_line(std::string_view prompt) {
    if (!input_is_terminal()) {
        return read_line();
    }
    std::optional<std::string> line;
    {
        // Echo goes off before the prompt shows, so nothing typed after it is ever echoed.
        TerminalMode no_echo{ECHO};
        std::cerr << prompt << std::flush;
        line = read_line();
    }
    std::cerr << '\n';
    return line;
}

std::optional<char> read_keystroke(std::string_view prompt) {
    TerminalMode raw{static_cast<tcflag_t>(ICANON | ECHO)};
    std::cout << prompt << std::flush;
    char c = 0;
    if (::read(STDIN_FILENO, &c, 1) != 1) {
        return std::nullopt;
    }
    return c;
}

}  // namespace exam::tool
