// One segment being written: fragmented MP4 over a file of our own (so that each fragment
// can be fdatasync'ed), cut and closed by the recorder, and the index row it becomes.
// Private to libexam-recording.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

extern "C" {
#include <libavformat/avformat.h>
}

#include <exam/recording/recorder.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/time.hpp>

namespace exam {

// FFmpeg's error code in words.
std::string av_error_text(int code);

// The start time a segment's name carries (to the second), or nullopt for a foreign name.
std::optional<TimePoint> time_from_segment_name(const std::string& name);

class SegmentFile;

// The sound a segment keeps beside the picture (stream 1): AAC, its packets' times in
// `time_base` on the video's timeline.
struct SegmentAudio {
    const AVCodecParameters* codec = nullptr;
    AVRational time_base{1, 8000};
    std::string kept;  // the index's name of it: "aac"
};

struct MuxerDeleter {
    void operator()(AVFormatContext* context) const { avformat_free_context(context); }
};
using Muxer = std::unique_ptr<AVFormatContext, MuxerDeleter>;

class Segment {
public:
    // Creates ROOM/CAMERA/NAME.mp4.partial (NAME from `started`) and writes the header.
    // Throws StorageError or DeviceError.
    Segment(const CameraSource& source, const RecorderOptions& options,
            const AVCodecParameters& codec, AVRational time_base, TimePoint started,
            std::int64_t first_dts, const SegmentAudio* audio = nullptr);
    ~Segment();
    Segment(const Segment&) = delete;
    Segment& operator=(const Segment&) = delete;

    // Writes one packet of the recorded stream (already in the input's time base), and a
    // synced fragment when one is due; an FFmpeg error, or AVERROR(ENOSPC) at the reserve.
    int write(AVPacket& packet);
    // Writes one packet of the sound (in SegmentAudio::time_base): sound from before the
    // segment's first picture (but the frame that spans it), or not after the last, is
    // dropped; never fails the picture.
    void write_audio(AVPacket& packet);
    int flush_fragment();
    [[nodiscard]] bool has_audio() const { return m_audio_time_base.has_value(); }
    // The segment's first picture's time in `time_base`: sound before it is another segment's.
    [[nodiscard]] std::int64_t start_in(AVRational time_base) const {
        return av_rescale_q(m_first_dts, m_input_time_base, time_base);
    }
    // Closes the file, syncs it, names it final and returns its index row; throws
    // StorageError when the disk refuses (the .partial stays for recovery).
    SegmentRecord finish();

    [[nodiscard]] TimePoint started() const { return m_record.started; }
    // The server's clock as it was when the segment started, run on by the steady clock.
    [[nodiscard]] TimePoint wall_time_now() const {
        return m_record.started + std::chrono::duration_cast<TimePoint::duration>(
                                      std::chrono::steady_clock::now() - m_steady_started);
    }
    [[nodiscard]] std::uint64_t frames() const { return m_record.frames; }
    [[nodiscard]] const std::string& file() const { return m_record.file; }

private:
    const RecorderOptions& m_options;
    std::int64_t m_first_dts;
    AVRational m_input_time_base;
    std::chrono::steady_clock::time_point m_steady_started;
    std::int64_t m_last_dts = AV_NOPTS_VALUE;
    std::optional<AVRational> m_audio_time_base;  // set when the segment keeps sound
    std::int64_t m_last_audio_pts = AV_NOPTS_VALUE;
    std::string m_audio_kept;
    SegmentRecord m_record;
    std::filesystem::path m_final;
    std::filesystem::path m_partial;
    std::unique_ptr<SegmentFile> m_file;
    Muxer m_muxer;
    std::chrono::steady_clock::time_point m_last_sync;
};

}  // namespace exam
