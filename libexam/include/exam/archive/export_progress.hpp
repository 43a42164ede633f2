// What an export tells the person waiting for it: on a terminal a bar with the bytes copied,
// the speed and the time left, redrawn in place; in a pipe or a log, a line per camera.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include <exam/export.hpp>

namespace exam {

class EXAM_EXPORT ExportProgress {
public:
    enum class Style { bar, lines };

    ExportProgress(std::ostream& out, Style style);

    void started(std::uint64_t total_bytes, std::size_t files);
    void copied(std::uint64_t bytes);
    // A camera's files are all in the package (`skipped` of them verified by an earlier run).
    void camera_done(const std::string& camera, std::size_t files, std::size_t skipped,
                     std::uint64_t bytes);
    void finished();

private:
    void draw(bool force);

    std::ostream& m_out;
    Style m_style;
    std::uint64_t m_total = 0;
    std::uint64_t m_done = 0;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last_draw;
    bool m_drawn = false;
};

// The bar's text: "[######    ]  60%  1.2 GB of 2.0 GB  95 MB/s  0:09 left" (width of the
// bar in characters), for the terminal and its test.
EXAM_EXPORT std::string progress_bar_line(std::uint64_t done, std::uint64_t total,
                                          std::chrono::milliseconds elapsed, int width);

}  // namespace exam
