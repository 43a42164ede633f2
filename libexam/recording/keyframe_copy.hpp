// A keyframe copied out of the recorder's packet (exam/recording/keyframe.hpp), so that the
// recorder hands it on (RecorderOptions) without FFmpeg types leaving libexam-recording.
// Private to libexam-recording.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <exam/recording/keyframe.hpp>

namespace exam {

// `packet` (a keyframe) and the stream's header from `codec`, copied. (Exported for the tests,
// which take keyframes from files; the header stays private.)
EXAM_EXPORT Keyframe keyframe_from(const AVCodecParameters& codec, const AVPacket& packet,
                                   TimePoint time);

}  // namespace exam
