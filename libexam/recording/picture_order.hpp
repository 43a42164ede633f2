// What an H.264 or H.265 camera's packets need before they are written into segments, when the
// camera sends pictures in decoding order with presentation times only (RTSP: the RTP timestamp,
// through our client or libavformat's):
//  - decoding times (DecodeTimeStamper): derived from the reorder depth of the parameter sets
//    in force (decode_times.hpp), followed when new ones arrive in-band;
//  - H.265's leading pictures (LeadingPictures): a CRA picture may be followed by RASL pictures
//    that reference pictures before the CRA, and do not decode in a segment that starts at it.
//    Such a CRA is not where a segment starts: it and its RASL pictures are written where the
//    pictures they reference are, and after them comes a copy of the CRA, offered to start a
//    new segment (the pictures after the RASL ones never reference them: H.265 8.1.3); the
//    recorder writes the copy only when it starts one. RASL pictures after a BLA never decode
//    and are dropped; a CRA with no RASL picture after it is a keyframe as any.
// Private to libexam-recording.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
}

#include "recording/decode_times.hpp"
#include "recording/libav_input.hpp"
#include "recording/rtp_depacketizer.hpp"

namespace exam {

// Gives a packet (0), or an error that ends the stream (negative): a source of the recorder.
using PacketReader = std::function<int(AVPacket&)>;

// What a reader returns for a packet that is written only when it starts a segment (the copy
// of a CRA after its leading pictures).
constexpr int k_only_to_start_a_segment = 1;

class DecodeTimeStamper {
public:
    DecodeTimeStamper(VideoCodec codec, const AVCodecParameters& parameters);
    // The next packet from `source` with its decoding time; the first ones are held until
    // enough pictures are seen to know theirs.
    int read(AVPacket& packet, const PacketReader& source);

private:
    void take(Packet packet);
    void move_timed();

    VideoCodec m_codec;
    DecodeTimes m_times;
    std::deque<Packet> m_waiting;  // in decoding order, their times not known yet
    std::deque<Packet> m_ready;
    int m_ended = 0;  // the source's error, given once the packets before it are handed over
};

class LeadingPictures {
public:
    explicit LeadingPictures(VideoCodec codec) : m_codec(codec) {}
    // The next packet from `source`: 0, k_only_to_start_a_segment, or the source's error.
    int read(AVPacket& packet, const PacketReader& source);

private:
    void take(Packet packet);
    void give(Packet packet, int what);
    void give_copy_of_random_access(int what, bool keyframe);

    enum class State { passing, random_access_held, in_leading_pictures };
    VideoCodec m_codec;
    State m_state = State::passing;
    Packet m_random_access;            // the CRA held, or the one whose leading pictures pass
    bool m_after_broken_link = false;  // RASL pictures now never decode
    std::deque<std::pair<Packet, int>> m_ready;
};

// The reader the recorder uses: `source` through both when it is an RTSP camera's H.264 or H.265
// video (`uri` rtsp://..., whoever reads it), else `source` itself (files and USB cameras come
// with their decoding times, the test camera has no B-frames).
PacketReader in_picture_order(const std::string& uri, const AVCodecParameters& parameters,
                              const PacketReader& source);

}  // namespace exam
