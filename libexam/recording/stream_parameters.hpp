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

// The parameter sets of an Annex B packet (as RTSP and HTTP cameras deliver), each with a
// four-byte start code, in the packet's order; empty when there are none or the packet is
// not Annex B.
std::string parameter_sets_in(const AVPacket& packet, AVCodecID codec);

// The picture size, from the sequence parameters of `codec`'s extradata and the keyframe,
// through FFmpeg's own parser (no decoding); left as it was when they do not say.
void read_picture_size(AVCodecParameters& codec, const AVPacket& keyframe);

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
