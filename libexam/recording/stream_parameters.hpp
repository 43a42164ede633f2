// What a segment's header must say about the stream: codec, size and parameter sets. A camera
// that changes its resolution or codec settings mid-stream sends new parameter sets in-band
// with a keyframe (or as new extradata); from there on a new segment starts whose header
// carries them, so that every segment describes its own frames.
// Private to libexam-recording.
#pragma once

#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace exam {

class StreamParameters {
public:
    explicit StreamParameters(const AVCodecParameters& from_the_connection);
    ~StreamParameters();
    StreamParameters(const StreamParameters&) = delete;
    StreamParameters& operator=(const StreamParameters&) = delete;

    // Looks at a keyframe: true when it carries parameter sets (or new extradata) that differ
    // from those the segments of this connection were started with; the parameters are then
    // updated to them, and the caller starts a new segment.
    bool changed_by(const AVPacket& keyframe);

    [[nodiscard]] const AVCodecParameters& codec() const { return *m_codec; }
    // "1280x720" then "640x360", for the operator's terminal.
    [[nodiscard]] std::string describe() const;

private:
    void adopt(const std::string& parameter_sets, const AVPacket& keyframe);

    AVCodecParameters* m_codec = nullptr;
    std::string m_parameter_sets;  // the in-band SPS/PPS (and VPS) last seen, Annex B
};

}  // namespace exam
