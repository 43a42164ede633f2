#include "recording/picture_order.hpp"
#include <algorithm>
#include <new>

#include "recording/nal_units.hpp"
#include "recording/reorder_depth.hpp"

namespace exam {
namespace {

Packet new_packet() {
    Packet packet{av_packet_alloc()};
    if (!packet) {
        throw std::bad_alloc{};
    }
    return packet;
}

// Extradata as RTSP gives it is Annex B (the description's sprop parameter sets).
bool is_annex_b(const std::uint8_t* data, std::size_t size) {
    return size > 3 && data[0] == 0 && data[1] == 0 && (data[2] == 1 || data[2] == 0);
}

}  // namespace

DecodeTimeStamper::DecodeTimeStamper(VideoCodec codec, const AVCodecParameters& parameters)
    : m_codec(codec) {
    const auto size = static_cast<std::size_t>(std::max(parameters.extradata_size, 0));
    if (parameters.extradata != nullptr && is_annex_b(parameters.extradata, size)) {
        m_times.restart(reorder_depth_in(codec, parameters.extradata, size).value_or(0));
    }
}

int DecodeTimeStamper::read(AVPacket& packet, const PacketReader& source) {
    while (m_ready.empty()) {
        if (m_ended != 0) {
            return m_ended;
        }
        Packet next = new_packet();
        const int result = source(*next);
        if (result < 0) {
            // The stream ends: the pictures held at its start are handed over first.
            m_ended = result;
            m_times.flush();
            move_timed();
            continue;
        }
        take(std::move(next));
    }
    av_packet_unref(&packet);
    av_packet_move_ref(&packet, m_ready.front().get());
    m_ready.pop_front();
    return 0;
}

void DecodeTimeStamper::take(Packet packet) {
    if (packet->pts == AV_NOPTS_VALUE) {
        // No time yet (libavformat's first packets before the camera's clock report): they go
        // as they came; the recorder starts no segment with them.
        if (m_waiting.empty()) {
            m_ready.push_back(std::move(packet));
        }
        return;
    }
    if ((packet->flags & AV_PKT_FLAG_KEY) != 0) {
        std::size_t size = 0;
        const std::uint8_t* sets =
            av_packet_get_side_data(packet.get(), AV_PKT_DATA_NEW_EXTRADATA, &size);
        if (sets == nullptr) {
            sets = packet->data;
            size = static_cast<std::size_t>(std::max(packet->size, 0));
        }
        const auto depth = reorder_depth_in(m_codec, sets, size);
        if (depth && *depth != m_times.reorder_depth()) {
            m_times.restart(*depth);  // the pictures before get their times first
            move_timed();
        }
    }
    m_times.push(packet->pts);
    m_waiting.push_back(std::move(packet));
    move_timed();
}

void DecodeTimeStamper::move_timed() {
    while (!m_waiting.empty()) {
        const auto time = m_times.pop();
        if (!time) {
            return;
        }
        Packet packet = std::move(m_waiting.front());
        m_waiting.pop_front();
        packet->dts = *time;
        // Only a camera that repeats a timestamp or sends more reordered pictures than its
        // parameter sets allow gets here: the picture keeps its place, a tick later.
        packet->pts = std::max(packet->pts, packet->dts);
        m_ready.push_back(std::move(packet));
    }
}

int LeadingPictures::read(AVPacket& packet, const PacketReader& source) {
    while (m_ready.empty()) {
        Packet next = new_packet();
        const int result = source(*next);
        if (result < 0) {
            return result;
        }
        if (m_codec != VideoCodec::h265) {
            m_ready.emplace_back(std::move(next), 0);  // H.264 cameras start GOPs with an IDR
            break;
        }
        take(std::move(next));
    }
    av_packet_unref(&packet);
    av_packet_move_ref(&packet, m_ready.front().first.get());
    const int what = m_ready.front().second;
    m_ready.pop_front();
    return what;
}

void LeadingPictures::take(Packet packet) {
    const H265Picture kind =
        h265_picture_in(packet->data, static_cast<std::size_t>(std::max(packet->size, 0)));
    const bool rasl = kind == H265Picture::skipped_leading;
    if (m_state == State::random_access_held) {
        // The picture after a CRA says whether it has RASL pictures.
        give_copy_of_random_access(0, !rasl);
        m_state = rasl ? State::in_leading_pictures : State::passing;
        if (!rasl) {
            m_random_access.reset();
        }
    } else if (m_state == State::in_leading_pictures && !rasl) {
        // After its RASL pictures, the CRA again: where a new segment may start.
        give_copy_of_random_access(k_only_to_start_a_segment, true);
        m_random_access.reset();
        m_state = State::passing;
    }
    switch (kind) {
        case H265Picture::clean_random_access:
            m_after_broken_link = false;
            m_random_access = std::move(packet);
            m_state = State::random_access_held;
            return;
        case H265Picture::broken_link_with_leading: m_after_broken_link = true; break;
        case H265Picture::instant_refresh: m_after_broken_link = false; break;
        case H265Picture::skipped_leading:
            if (m_after_broken_link) {
                return;  // references pictures the stream broke away from: never decodes
            }
            break;
        default: break;
    }
    give(std::move(packet), 0);
}

void LeadingPictures::give(Packet packet, int what) {
    m_ready.emplace_back(std::move(packet), what);
}

// The held CRA: as a keyframe where a segment may start, or (when RASL pictures follow) as a
// picture of the segment those reference; later its copy, keyframe again.
void LeadingPictures::give_copy_of_random_access(int what, bool keyframe) {
    Packet copy = new_packet();
    if (av_packet_ref(copy.get(), m_random_access.get()) < 0) {
        throw std::bad_alloc{};
    }
    if (keyframe) {
        copy->flags |= AV_PKT_FLAG_KEY;
    } else {
        copy->flags &= ~AV_PKT_FLAG_KEY;
    }
    give(std::move(copy), what);
}

PacketReader in_picture_order(const std::string& uri, const AVCodecParameters& parameters,
                              const PacketReader& source) {
    if (!uri.starts_with("rtsp://") ||
        (parameters.codec_id != AV_CODEC_ID_H264 && parameters.codec_id != AV_CODEC_ID_HEVC)) {
        return source;
    }
    const VideoCodec codec =
        parameters.codec_id == AV_CODEC_ID_HEVC ? VideoCodec::h265 : VideoCodec::h264;
    auto times = std::make_shared<DecodeTimeStamper>(codec, parameters);
    auto leading = std::make_shared<LeadingPictures>(codec);
    // The camera's sound (any stream but the video's, 0) passes the two by, as it came, ahead
    // of the picture read with it. Each packet waits with what the reader says of it.
    auto waiting = std::make_shared<std::deque<std::pair<Packet, int>>>();
    const PacketReader pictures = [waiting, source](AVPacket& next) {
        while (true) {
            const int result = source(next);
            if (result < 0 || next.stream_index == 0) {
                return result;
            }
            waiting->emplace_back(Packet{av_packet_alloc()}, 0);
            if (!waiting->back().first) {
                throw std::bad_alloc{};
            }
            av_packet_move_ref(waiting->back().first.get(), &next);
        }
    };
    return [times, leading, waiting, pictures](AVPacket& packet) {
        if (waiting->empty()) {
            const int result =
                leading->read(packet, [&](AVPacket& next) { return times->read(next, pictures); });
            if (waiting->empty() || result < 0) {
                return result;
            }
            waiting->emplace_back(Packet{av_packet_alloc()}, result);
            if (!waiting->back().first) {
                throw std::bad_alloc{};
            }
            av_packet_move_ref(waiting->back().first.get(), &packet);
        }
        av_packet_unref(&packet);
        av_packet_move_ref(&packet, waiting->front().first.get());
        const int what = waiting->front().second;
        waiting->pop_front();
        return what;
    };
}

}  // namespace exam
