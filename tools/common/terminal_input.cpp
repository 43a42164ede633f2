#include "common/terminal_input.hpp"
#include <cerrno>
#include <csignal>
#include <iostream>
#include <iterator>
#include <memory>

#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace exam::tool {

// Restores the terminal's settings however the read ends.
class TerminalMode {
public:
    explicit TerminalMode(tcflag_t clear_local_flags, tcflag_t clear_input_flags = 0) {
        m_active = tcgetattr(STDIN_FILENO, &m_saved) == 0;
        if (m_active) {
            termios changed = m_saved;
            changed.c_lflag &= ~clear_local_flags;
            changed.c_iflag &= ~clear_input_flags;
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

    const termios* saved() const { return m_active ? &m_saved : nullptr; }

private:
    termios m_saved{};
    bool m_active = false;
};

namespace {

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

// The desk keeps the terminal without echo for hours; a Ctrl-C or a closed ssh session must
// not leave the operator's shell typing blind.
termios g_desk_saved_terminal{};
volatile std::sig_atomic_t g_desk_terminal_changed = 0;
constexpr int k_restoring_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
struct sigaction g_previous_actions[std::size(k_restoring_signals)];

extern "C" void restore_terminal_and_die(int signal_number) {
    if (g_desk_terminal_changed != 0) {
        tcsetattr(STDIN_FILENO, TCSANOW, &g_desk_saved_terminal);
    }
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

// Bytes of an escape sequence (an arrow key) arrive together; Esc alone is followed by silence.
constexpr int k_rest_of_key_ms = 30;

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

DeskKeyboard::DeskKeyboard() {
    // Echo goes off before any prompt shows, so no document number is ever echoed.
    m_mode = std::make_unique<TerminalMode>(static_cast<tcflag_t>(ICANON | ECHO),
                                            static_cast<tcflag_t>(ICRNL | INLCR | IGNCR));
    if (const termios* saved = m_mode->saved()) {
        g_desk_saved_terminal = *saved;
        g_desk_terminal_changed = 1;
        struct sigaction action {};
        action.sa_handler = restore_terminal_and_die;
        sigemptyset(&action.sa_mask);
        for (std::size_t i = 0; i < std::size(k_restoring_signals); ++i) {
            ::sigaction(k_restoring_signals[i], &action, &g_previous_actions[i]);
        }
    }
}

DeskKeyboard::~DeskKeyboard() {
    if (g_desk_terminal_changed != 0) {
        for (std::size_t i = 0; i < std::size(k_restoring_signals); ++i) {
            ::sigaction(k_restoring_signals[i], &g_previous_actions[i], nullptr);
        }
        g_desk_terminal_changed = 0;
    }
    m_mode.reset();
}

DeskKeyboard::Read DeskKeyboard::read_some(int timeout_ms) {
    pollfd input{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&input, 1, timeout_ms);
    if (ready == 0 || (ready < 0 && errno == EINTR)) {
        return Read::nothing;
    }
    char buffer[256];
    const ssize_t count = ready < 0 ? -1 : ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) {
        return Read::nothing;
    }
    if (count <= 0) {
        return Read::closed;
    }
    m_input.feed(std::string_view{buffer, static_cast<std::size_t>(count)});
    return Read::bytes;
}

TypedInput DeskKeyboard::next(std::string_view prompt) {
    std::cout << prompt << std::flush;
    while (!m_input.ready()) {
        if (read_some(-1) == Read::closed) {
            m_input.discard();
            std::cout << '\n' << std::flush;
            return TypedInput{TypedInput::Kind::end, {}};
        }
        if (!m_input.ready() && m_input.awaits_rest_of_key() &&
            read_some(k_rest_of_key_ms) == Read::nothing) {
            m_input.settle();
        }
    }
    // The line end that the terminal no longer echoes.
    std::cout << '\n' << std::flush;
    return *m_input.next();
}

bool DeskKeyboard::discard_typed_ahead() {
    bool discarded = m_input.holds_anything();
    // Drained through the assembler rather than flushed with tcflush, so that whatever is
    // discarded was seen, and a CR LF split by the discard still counts as one line end.
    while (read_some(0) == Read::bytes) {
        discarded = true;
    }
    m_input.discard();
    return discarded;
}

}  // namespace exam::tool
