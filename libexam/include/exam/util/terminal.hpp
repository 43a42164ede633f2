// Colour on terminals: only on a TTY, never when NO_COLOR is set (https://no-color.org) or
// the user said --no-color. Pipes and files always get plain text.
#pragma once

#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

enum class ColorMode { automatic, never };
enum class Color { none, red, green, yellow, blue, bold, dim };

// The decision itself, given what it depends on; `no_color_env` is getenv("NO_COLOR").
EXAM_EXPORT bool color_wanted(ColorMode mode, bool is_terminal, const char* no_color_env);
// The same for a file descriptor of this process.
EXAM_EXPORT bool color_wanted_for(ColorMode mode, int file_descriptor);

// Paints text with ANSI escapes when enabled; a disabled palette returns the text unchanged.
class EXAM_EXPORT Palette {
public:
    explicit Palette(bool enabled = false) : m_enabled(enabled) {}
    [[nodiscard]] bool enabled() const { return m_enabled; }
    [[nodiscard]] std::string paint(std::string_view text, Color color) const;

private:
    bool m_enabled;
};

}  // namespace exam
