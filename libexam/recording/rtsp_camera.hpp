// An H.264 or H.265 camera over RTSP/TCP read by our own client (rtsp_connection.hpp) and handed to
// the recorder as FFmpeg packets, exactly as libavformat's RTSP demuxer would hand them:
// Annex B access units in the RTP clock's time base, the keyframes flagged, the stream's
// parameter sets as extradata and its picture size read from them.
// Private to libexam-recording.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
}

#include "recording/audio_timeline.hpp"
#include "recording/rtp_depacketizer.hpp"
#include "recording/rtsp_audio.hpp"
#include "recording/rtsp_connection.hpp"

namespace exam {

class RtspCamera {
public:
    // Over a connection whose session is set up (RtspConnection::start gave `video`, an
    // H.264 or H.265 stream): waits for the first keyframe, whose parameters give the size. Throws
    // RtspFailure. With `audio`, the session's sound comes out too, as stream 1.
    RtspCamera(RtspConnection& connection, const VideoDescription& video,
               std::unique_ptr<RtspAudio> audio = nullptr);
    RtspCamera(const RtspCamera&) = delete;
    RtspCamera& operator=(const RtspCamera&) = delete;

    [[nodiscard]] const AVCodecParameters& codec() const { return *m_codec; }
    [[nodiscard]] AVRational time_base() const { return {1, m_clock_rate}; }
    // The next picture, or sound when some is ready. Throws RtspFailure.
    void read(AVPacket& packet);
    // The sound kept, nullptr when there is none.
    [[nodiscard]] AudioTrack* audio_track() { return m_audio ? &m_audio->track() : nullptr; }

private:
    AccessUnit next_unit();
    void fill(AVPacket& packet, const AccessUnit& unit);

    RtspConnection& m_connection;
    VideoDescription m_video;
    RtpDepacketizer m_depacketizer;
    struct CodecDeleter {
        void operator()(AVCodecParameters* codec) const { avcodec_parameters_free(&codec); }
    };
    std::unique_ptr<AVCodecParameters, CodecDeleter> m_codec;
    int m_clock_rate = 90000;
    std::optional<AccessUnit> m_first_keyframe;
    std::optional<std::uint32_t> m_last_rtp_time;
    std::int64_t m_timestamp = 0;  // the RTP clock unwrapped, from 0 at the first picture
    std::chrono::steady_clock::time_point m_last_unit;  // when the last picture was complete
    std::unique_ptr<RtspAudio> m_audio;
    std::optional<VideoPosition> m_position;  // of the latest picture, for the sound's times
};

}  // namespace exam
