// The camera's sound on our RTSP path: its RTP packets made into frames
// (audio_depacketizer.hpp), placed on the video's timeline through both tracks' RTCP sender
// reports (audio_timeline.hpp) and kept as AAC (audio_track.hpp). Sound never holds up the
// picture: frames wait only in bounded queues, and what makes no sense is dropped.
// Private to libexam-recording.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "recording/audio_depacketizer.hpp"
#include "recording/audio_timeline.hpp"
#include "recording/audio_track.hpp"
#include "recording/rtsp_connection.hpp"
#include "recording/session_description.hpp"

namespace exam {

class RtspAudio {
public:
    // `audio` must be one that audio_not_kept() accepts. Throws DeviceError when FFmpeg cannot
    // convert G.711.
    RtspAudio(const AudioDescription& audio, int video_clock_rate);

    // An audio RTP packet, or either track's RTCP; `video` is where the picture is, nullopt
    // before the first (sound before it is dropped: nothing of a segment comes before it).
    void take(const RtpPacket& packet, const std::optional<VideoPosition>& video);
    [[nodiscard]] AudioTrack& track() { return *m_track; }

private:
    AudioDepacketizer m_depacketizer;
    AudioTimeline m_timeline;
    std::unique_ptr<AudioTrack> m_track;
};

}  // namespace exam
