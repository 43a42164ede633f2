#include <cstdlib>

#include <unistd.h>

#include <exam/util/terminal.hpp>

namespace exam {

bool color_wanted(ColorMode mode, bool is_terminal, const char* no_color_env) {
    if (mode == ColorMode::never || !is_terminal) {
        return false;
    }
    // NO_COLOR counts when present and not empty.
    return no_color_env == nullptr || no_color_env[0] == '\0';
}

bool color_wanted_for(ColorMode mode, int file_descriptor) {
    return color_wanted(mode, isatty(file_descriptor) == 1, std::getenv("NO_COLOR"));
}

std::string Palette::paint(std::string_view text, Color color) const {
    if (!m_enabled || color == Color::none) {
        return std::string{text};
    }
    std::string_view code;
    switch (color) {
        case Color::red: code = "31"; break;
        case Color::green: code = "32"; break;
        case Color::yellow: code = "33"; break;
        case Color::blue: code = "34"; break;
        case Color::bold: code = "1"; break;
        case Color::dim: code = "2"; break;
        case Color::none: break;
    }
    std::string painted = "\x1b[";
    painted += code;
    painted += 'm';
    painted += text;
    painted += "\x1b[0m";
    return painted;
}

}  // namespace exam
