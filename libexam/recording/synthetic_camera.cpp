#include "recording/synthetic_camera.hpp"
#include <algorithm>
#include <cstdio>
#include <thread>

#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {

SyntheticCamera::SyntheticCamera(const SyntheticCameraSettings& settings,
                                 const std::atomic<bool>& stop)
    : m_stop(stop),
      m_fps(settings.fps),
      m_encoder({.width = settings.width,
                 .height = settings.height,
                 .time_base = AVRational{1, settings.fps},
                 .fps = settings.fps,
                 .who = _("the test camera")}) {
    m_frame = av_frame_alloc();
    m_frame->format = AV_PIX_FMT_YUV420P;
    m_frame->width = settings.width;
    m_frame->height = settings.height;
    av_frame_get_buffer(m_frame, 0);
    m_started = std::chrono::steady_clock::now();
}

SyntheticCamera::~SyntheticCamera() {
    av_frame_free(&m_frame);
}

int SyntheticCamera::read(AVPacket& packet) {
    while (true) {
        const int received = m_encoder.receive(packet);
        if (received != AVERROR(EAGAIN)) {
            return received;
        }
        // The next picture when its time comes, like a camera's.
        const auto due = m_started + std::chrono::microseconds{m_next * 1'000'000 / m_fps};
        while (!m_stop.load() && std::chrono::steady_clock::now() < due) {
            std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                due - std::chrono::steady_clock::now(), std::chrono::milliseconds{50}));
        }
        if (m_stop.load()) {
            return AVERROR_EXIT;
        }
        draw(m_next);
        m_frame->pts = m_next++;
        if (const int sent = m_encoder.send(*m_frame); sent < 0) {
            return sent;
        }
    }
}

// Bars of grey moving sideways with a bright square crossing them, on coloured halves: not
// black, not flat, never still, sharp — a picture the pre-check's analysis passes.
void SyntheticCamera::draw(std::int64_t number) {
    av_frame_make_writable(m_frame);
    const int width = m_frame->width;
    const int height = m_frame->height;
    const int shift = static_cast<int>(number * 4 % width);
    const int square = std::max(height / 6, 8);
    const int square_x = static_cast<int>(number * 6 % std::max(width - square, 1));
    const int square_y = (height - square) / 2;
    for (int y = 0; y < height; ++y) {
        std::uint8_t* row =
            m_frame->data[0] + static_cast<std::ptrdiff_t>(y) * m_frame->linesize[0];
        for (int x = 0; x < width; ++x) {
            const bool in_square =
                x >= square_x && x < square_x + square && y >= square_y && y < square_y + square;
            row[x] = static_cast<std::uint8_t>(in_square ? 235 : 40 + ((x + shift) / 40 % 6) * 36);
        }
    }
    for (int plane = 1; plane <= 2; ++plane) {
        for (int y = 0; y < height / 2; ++y) {
            std::uint8_t* row =
                m_frame->data[plane] + static_cast<std::ptrdiff_t>(y) * m_frame->linesize[plane];
            std::fill(row, row + width / 2,
                      static_cast<std::uint8_t>(y < height / 4 ? (plane == 1 ? 90 : 160) : 128));
        }
    }
}

}  // namespace exam
