#include "recording/camera_stream.hpp"
#include <memory>

#include <exam/recording/segment_index.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "recording/keyframe_copy.hpp"
#include "recording/libav_input.hpp"
#include "recording/picture_order.hpp"
#include "recording/segment_writer.hpp"
#include "recording/stream_parameters.hpp"

namespace exam {
namespace {

// A difference between the server's clock and the steady clock larger than this is a step
// (someone or something set the time), not NTP's gentle slewing.
constexpr auto k_clock_step = std::chrono::seconds{1};
// A cut segment waits this long at most for the sound of its last moments.
constexpr auto k_sound_after_cut = std::chrono::milliseconds{1000};
using Clock = std::chrono::steady_clock;
// How often a camera's sound is reported as present (RecorderOptions::on_sound).
constexpr auto k_sound_news_every = std::chrono::seconds{1};

}  // namespace

bool record_stream(const CameraStream& stream, const StreamTracks& tracks,
                   const PacketReader& source, RecordedText& problem) {
    const PacketReader read = in_picture_order(stream.source.uri, tracks.video, source);
    StreamParameters parameters{tracks.video};
    AudioTrack* audio = tracks.audio;
    Packet packet{av_packet_alloc()};
    std::unique_ptr<Segment> segment;
    // The segment just cut, still open for the sound of its last moments, which comes after
    // the picture that cut it (the network, and the 1024 samples an AAC encoder holds).
    std::unique_ptr<Segment> closing;
    Clock::time_point closing_until;
    bool delivered = false;
    bool first_of_connection = false;  // its first keyframe is about to be written
    bool clock_stepped = false;
    Clock::time_point sound_said;
    const auto finish_segment = [&](std::unique_ptr<Segment>& done) {
        if (!done) {
            return;
        }
        try {
            const SegmentRecord record = done->finish();
            SegmentIndex::open(stream.options.recordings).add_segment(record);
            if (stream.options.on_segment) {
                stream.options.on_segment(record);
            }
        } catch (const Error& e) {
            stream.event(recorded_text(e));
        }
        done.reset();
    };
    while (true) {
        const int result = read(*packet);
        if (result < 0) {
            problem = stream.read_problem(result);
            break;
        }
        if (packet->stream_index == 1) {  // sound: never cuts, holds up or breaks a segment
            const bool earlier = segment && packet->pts < segment->start_in(audio->time_base());
            if (closing && !earlier) {
                finish_segment(closing);  // its sound is all there
            }
            if (earlier && closing) {
                // The frame that spans the cut goes to both: the new segment hears it from
                // its start (Segment::write_audio).
                Packet copy{av_packet_clone(packet.get())};
                if (copy) {
                    closing->write_audio(*copy);
                }
            }
            if (segment) {
                segment->write_audio(*packet);
                if (stream.options.on_sound && Clock::now() - sound_said >= k_sound_news_every) {
                    sound_said = Clock::now();
                    stream.options.on_sound(stream.source);
                }
            }
            av_packet_unref(packet.get());
            continue;
        }
        const bool key = (packet->flags & AV_PKT_FLAG_KEY) != 0;
        const TimePoint now = stream.wall_clock();
        if (segment && !clock_stepped) {
            const auto drift = now - segment->wall_time_now();
            if (drift > k_clock_step || drift < -k_clock_step) {
                // The server's clock was set: the open segment keeps the old time (run on
                // by the steady clock) up to the next keyframe, where one on the new starts.
                clock_stepped = true;
                const auto step = std::chrono::duration_cast<std::chrono::seconds>(drift);
                stream.event(
                    _rf("the server's clock stepped by {:+} s; a new segment starts on the "
                        "new time at the next keyframe",
                        step.count()));
            }
        }
        // A segment starts at a keyframe; a new one when the current is long enough, when
        // the camera changed its stream's size or codec settings, or the clock stepped.
        const bool new_parameters = key && parameters.changed_by(*packet);
        if (new_parameters && segment) {
            stream.event(_rf("the camera changed its stream to {}; a new segment starts",
                             parameters.describe()));
        }
        if (key && segment &&
            (new_parameters || clock_stepped ||
             now - segment->started() >= stream.options.segment_length)) {
            finish_segment(closing);
            closing = std::move(segment);
            closing_until = Clock::now() + k_sound_after_cut;
            clock_stepped = false;
        }
        if (closing && Clock::now() > closing_until) {
            finish_segment(closing);
        }
        if (!segment) {
            if (!key || (packet->dts == AV_NOPTS_VALUE && packet->pts == AV_NOPTS_VALUE)) {
                // Nothing decodes before the first keyframe; an RTSP stream's first
                // packets may carry no time until the sender's clock report arrives.
                av_packet_unref(packet.get());
                continue;
            }
            const std::int64_t first = packet->dts != AV_NOPTS_VALUE ? packet->dts : packet->pts;
            RecordedText news;
            const bool sound = audio != nullptr && audio->for_next_segment(news);
            if (!news.shown.empty()) {
                stream.event(news);
            }
            const SegmentAudio kept{sound ? &audio->codec() : nullptr,
                                    sound ? audio->time_base() : AVRational{1, 1},
                                    AudioTrack::kept_codec()};
            try {
                segment = std::make_unique<Segment>(stream.source, stream.options,
                                                    parameters.codec(), tracks.video_time_base, now,
                                                    first, sound ? &kept : nullptr);
            } catch (const Error& e) {
                problem = recorded_text(e);
                av_packet_unref(packet.get());
                break;
            }
            if (stream.options.on_segment_started) {
                stream.options.on_segment_started(stream.source, segment->file());
            }
            first_of_connection = !delivered;
            delivered = true;
        } else if (result == k_only_to_start_a_segment) {
            av_packet_unref(packet.get());  // a CRA's copy that starts none (picture_order.hpp)
            continue;
        }
        // A cut segment with no sound to wait for is finished once the next one is open, never
        // before: a crash at any moment then leaves a .partial, whose start is where the
        // recovery's gap begins (a kill between the two left none, and no gap was recorded).
        if (closing && (audio == nullptr || !closing->has_audio())) {
            finish_segment(closing);
        }
        // Copied before the write, which may take the packet's data.
        const std::optional<Keyframe> keyframe =
            key && stream.options.on_keyframe
                ? std::optional<Keyframe>{keyframe_from(parameters.codec(), *packet, now)}
                : std::nullopt;
        const int written = segment->write(*packet);
        av_packet_unref(packet.get());
        if (written == AVERROR(ENOSPC)) {
            stream.disk_full = true;
            problem =
                _rf("the recordings disk is full: recording stopped with the reserve of "
                    "{} left for the index and the journal; free space and start again",
                    format_byte_size(stream.options.reserve));
            break;
        }
        if (written < 0) {
            problem = _rf("cannot write the segment: {}", av_error_text(written));
            break;
        }
        if (keyframe) {
            stream.options.on_keyframe(stream.source, *keyframe);
        }
        if (first_of_connection) {
            // Said once its first keyframe is written: `exam-camera start` returns on it.
            first_of_connection = false;
            stream.first_picture(now);
        }
    }
    finish_segment(closing);
    finish_segment(segment);
    return delivered;
}

}  // namespace exam
