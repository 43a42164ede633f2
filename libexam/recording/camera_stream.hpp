// The record loop: the packets of one connection to a camera written into segments, cut at
// keyframes, with the camera's sound beside the picture when it has some.
// Private to libexam-recording.
#pragma once

#include <functional>
#include <string>

extern "C" {
#include <libavformat/avformat.h>
}

#include <exam/recording/recorder.hpp>
#include <exam/util/recorded_text.hpp>
#include <exam/util/time.hpp>

#include "recording/audio_track.hpp"
#include "recording/picture_order.hpp"

namespace exam {

// What the loop needs of its camera's recorder.
struct CameraStream {
    const CameraSource& source;
    const RecorderOptions& options;
    std::function<TimePoint()> wall_clock;                 // the server's clock
    std::function<void(const RecordedText&)> event;        // for the terminal (and the log)
    std::function<RecordedText(int result)> read_problem;  // why reading stopped, in words
    std::function<void(TimePoint now)> first_picture;      // the connection's first segment
    bool& disk_full;                                       // set when it stops for the reserve
};

// What one connection delivers: the video, and the sound kept beside it (nullptr: none).
struct StreamTracks {
    const AVCodecParameters& video;
    AVRational video_time_base;
    AudioTrack* audio = nullptr;
};

// Writes the packets `read` delivers (0 for one more; an error ends it; an RTSP camera's put
// in picture order first, picture_order.hpp) into segments until
// the camera fails, the disk is full or the recording stops: the video's as stream 0, the
// sound's (stream_index 1) beside them, never cutting, holding up or breaking a segment.
// False when nothing was delivered; `problem` says why it ended.
bool record_stream(const CameraStream& stream, const StreamTracks& tracks, const PacketReader& read,
                   RecordedText& problem);

}  // namespace exam
