#include <algorithm>
#include <thread>

#include "recording/local_sources.hpp"

namespace exam {

using Clock = std::chrono::steady_clock;

bool FilePlayback::play(AVPacket& packet) {
    std::int64_t dts = packet.dts != AV_NOPTS_VALUE ? packet.dts : packet.pts;
    if (dts == AV_NOPTS_VALUE) {
        return !m_stop.load();
    }
    if (m_file_start == AV_NOPTS_VALUE) {
        m_file_start = dts;
    }
    if (packet.dts != AV_NOPTS_VALUE) {
        packet.dts += m_offset;
    }
    if (packet.pts != AV_NOPTS_VALUE) {
        packet.pts += m_offset;
    }
    dts += m_offset;
    m_pass_end = std::max(m_pass_end, dts + (packet.duration > 0 ? packet.duration : m_frame));
    if (m_first_dts == AV_NOPTS_VALUE) {
        m_first_dts = dts;
        m_started = Clock::now();
    }
    const auto due = m_started + std::chrono::microseconds{av_rescale_q(
                                     dts - m_first_dts, m_time_base, AVRational{1, 1'000'000})};
    while (!m_stop.load() && Clock::now() < due) {
        std::this_thread::sleep_for(
            std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds{50}));
    }
    return !m_stop.load();
}

bool FilePlayback::rewind(AVFormatContext& input, int video) {
    if (m_file_start == AV_NOPTS_VALUE ||
        av_seek_frame(&input, video, m_file_start, AVSEEK_FLAG_BACKWARD) < 0) {
        return false;
    }
    m_offset = m_pass_end - m_file_start;
    return true;
}

bool is_file_source(const std::string& uri) {
    return uri.starts_with("file:") || uri.starts_with("/");
}

std::optional<UsbCamera> usb_camera(const std::string& uri) {
    if (!uri.starts_with("v4l2:")) {
        return std::nullopt;
    }
    UsbCamera camera;
    const std::string rest = uri.substr(5);
    const std::size_t question = rest.find('?');
    camera.device = rest.substr(0, question);
    std::string query = question == std::string::npos ? "" : rest.substr(question + 1);
    while (!query.empty()) {
        const std::size_t amp = std::min(query.find('&'), query.size());
        const std::string item = query.substr(0, amp);
        query.erase(0, std::min(amp + 1, query.size()));
        const std::size_t equals = item.find('=');
        if (equals != std::string::npos) {
            camera.options.emplace_back(item.substr(0, equals), item.substr(equals + 1));
        }
    }
    return camera;
}

}  // namespace exam
