#include <exam/archive/export_progress.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <exam/util/byte_size.hpp>
#include <exam/util/translate.hpp>

namespace exam {

namespace {

constexpr int k_bar_width = 30;
// Redrawing more often only costs the terminal time.
constexpr auto k_redraw_every = std::chrono::milliseconds{200};

std::string minutes_and_seconds(std::int64_t seconds) {
    return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

}  // namespace

std::string progress_bar_line(std::uint64_t done, std::uint64_t total,
                              std::chrono::milliseconds elapsed, int width) {
    const double fraction =
        total == 0 ? 1.0 : std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    const int filled = static_cast<int>(fraction * width);
    std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(width - filled), ' ') + "]";
    std::string line = fmt::format("{} {:3}%  {}", bar, static_cast<int>(fraction * 100),
                                   _f("{} of {}", format_byte_size(done), format_byte_size(total)));
    if (elapsed.count() >= 1000 && done > 0) {
        const double per_second =
            static_cast<double>(done) * 1000.0 / static_cast<double>(elapsed.count());
        const auto left = static_cast<std::int64_t>(
            static_cast<double>(total - std::min(done, total)) / per_second);
        line += "  " + _f("{}/s", format_byte_size(static_cast<std::uint64_t>(per_second)));
        line += "  " + _f("{} left", minutes_and_seconds(left));
    }
    return line;
}

ExportProgress::ExportProgress(std::ostream& out, Style style) : m_out(out), m_style(style) {}

void ExportProgress::started(std::uint64_t total_bytes, std::size_t files) {
    m_total = total_bytes;
    m_start = std::chrono::steady_clock::now();
    m_out << _f("exporting {} in {} files", format_byte_size(total_bytes), files) << '\n';
}

void ExportProgress::copied(std::uint64_t bytes) {
    m_done += bytes;
    if (m_style == Style::bar) {
        draw(false);
    }
}

void ExportProgress::draw(bool force) {
    const auto now = std::chrono::steady_clock::now();
    if (!force && m_drawn && now - m_last_draw < k_redraw_every) {
        return;
    }
    m_last_draw = now;
    m_drawn = true;
    m_out << '\r'
          << progress_bar_line(m_done, m_total,
                               std::chrono::duration_cast<std::chrono::milliseconds>(now - m_start),
                               k_bar_width)
          << "\x1b[K" << std::flush;
}

void ExportProgress::camera_done(const std::string& camera, std::size_t files, std::size_t skipped,
                                 std::uint64_t bytes) {
    if (m_style == Style::bar) {
        m_out << "\r\x1b[K";
    }
    std::string line =
        _f("camera {}: {} files, {}, verified", camera, files, format_byte_size(bytes));
    if (skipped > 0) {
        line += _f(" ({} already verified by the interrupted export)", skipped);
    }
    m_out << line << '\n';
    if (m_style == Style::bar) {
        draw(true);
    }
}

void ExportProgress::finished() {
    if (m_style == Style::bar && m_drawn) {
        m_out << "\r\x1b[K" << std::flush;
    }
}

}  // namespace exam
