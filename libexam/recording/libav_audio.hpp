// The sound of a camera read through libavformat (RTSP it hands over to it, HTTP): the same
// as on our RTSP path — AAC copied, G.711 converted (audio_track.hpp) — with the times
// libavformat gives, which its RTSP reader aligns through the RTCP sender reports itself.
// Files played as cameras and USB cameras keep no sound.
// Private to libexam-recording.
#pragma once

#include <memory>
#include <string>

extern "C" {
#include <libavformat/avformat.h>
}

#include <exam/util/recorded_text.hpp>

#include "recording/audio_track.hpp"

namespace exam {

// The input's sound as a track to keep, and its stream's index; nullptr when there is none
// or it is not kept (then `not_kept` says why, in words).
std::unique_ptr<AudioTrack> open_libav_audio(AVFormatContext& input, int& index,
                                             RecordedText& not_kept);
// A packet of that stream, given to the track in its time base.
void take_libav_audio(AudioTrack& track, const AVStream& stream, const AVPacket& packet);

}  // namespace exam
