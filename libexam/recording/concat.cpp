// One camera's segments joined by remuxing (exam/recording/concat.hpp). The packets are read
// a GOP at a time: a GOP is the unit that can start a part (it begins with a keyframe) and
// the unit whose size decides whether the part still takes it.
#include <algorithm>
#include <cstring>
#include <optional>
#include <system_error>

#include <exam/recording/concat.hpp>
#include <exam/service/recording_module.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

#include "recording/libav_input.hpp"
#include "recording/segment_writer.hpp"

namespace exam {
namespace {

namespace fs = std::filesystem;

constexpr AVRational k_microseconds{1, 1'000'000};
constexpr AVRational k_milliseconds{1, 1'000};
// What an MP4 adds to its packets' bytes: the header and the index (moov) at the end, whose
// tables hold some 30 bytes a packet (size, duration, composition offset, chunk offset,
// keyframe mark). Over-estimated, so that a part never passes the limit.
constexpr std::uint64_t k_container_bytes = 64 * 1024;
constexpr std::uint64_t k_index_bytes_per_packet = 48;

// A segment open for reading, its picture's and its sound's streams.
struct SegmentReader {
    Input input;
    AVStream* video = nullptr;
    AVStream* audio = nullptr;
};

SegmentReader open_segment(const fs::path& file) {
    AVFormatContext* context = nullptr;
    int result = avformat_open_input(&context, file.c_str(), nullptr, nullptr);
    SegmentReader reader;
    reader.input.reset(context);
    if (result >= 0) {
        result = avformat_find_stream_info(context, nullptr);
    }
    if (result < 0) {
        throw InputError(
            _f("cannot read the segment {}: {}; check that the file is a whole "
               "recording of examkit",
               file.string(), av_error_text(result)));
    }
    for (unsigned i = 0; i < context->nb_streams; ++i) {
        AVStream* stream = context->streams[i];
        if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && reader.video == nullptr) {
            reader.video = stream;
        } else if (stream->codecpar->codec_type == AVMEDIA_TYPE_AUDIO && reader.audio == nullptr) {
            reader.audio = stream;
        }
    }
    if (reader.video == nullptr) {
        throw InputError(
            _f("the segment {} holds no picture; check that the file is a "
               "recording of examkit",
               file.string()));
    }
    return reader;
}

bool same_extradata(const AVCodecParameters& a, const AVCodecParameters& b) {
    return a.extradata_size == b.extradata_size &&
           (a.extradata_size == 0 ||
            std::memcmp(a.extradata, b.extradata, static_cast<std::size_t>(a.extradata_size)) == 0);
}

struct ParametersDeleter {
    void operator()(AVCodecParameters* parameters) const { avcodec_parameters_free(&parameters); }
};
using Parameters = std::unique_ptr<AVCodecParameters, ParametersDeleter>;

Parameters copy_of(const AVStream* stream) {
    if (stream == nullptr) {
        return nullptr;
    }
    Parameters copy{avcodec_parameters_alloc()};
    avcodec_parameters_copy(copy.get(), stream->codecpar);
    return copy;
}

// Whether packets of `stream` can go on in a file whose track was made for `track`.
bool same_stream(const Parameters& track, const AVStream* stream) {
    if (track == nullptr || stream == nullptr) {
        return (track == nullptr) == (stream == nullptr);
    }
    const AVCodecParameters& x = *track;
    const AVCodecParameters& y = *stream->codecpar;
    return x.codec_id == y.codec_id && x.width == y.width && x.height == y.height &&
           x.sample_rate == y.sample_rate && x.ch_layout.nb_channels == y.ch_layout.nb_channels &&
           same_extradata(x, y);
}

std::int64_t to_microseconds(TimePoint::duration span) {
    return std::chrono::duration_cast<std::chrono::microseconds>(span).count();
}

// A part being written: NAME.partial with bit-exact muxing, renamed when finished.
class PartWriter {
public:
    PartWriter(fs::path file, const AVStream& video, const AVStream* audio)
        : m_file(std::move(file)), m_partial(m_file) {
        m_partial += ".partial";
        std::error_code ignored;
        fs::remove(m_partial, ignored);  // left by an export that was cut short
        AVFormatContext* muxer = nullptr;
        avformat_alloc_output_context2(&muxer, nullptr, "mp4", nullptr);
        if (muxer == nullptr) {
            throw StorageError(_f("cannot write {}: FFmpeg has no MP4 muxer", m_file.string()));
        }
        m_muxer.reset(muxer);
        // No creation time, no encoder's version: the same packets give the same bytes.
        m_muxer->flags |= AVFMT_FLAG_BITEXACT;
        add_stream(video);
        if (audio != nullptr) {
            add_stream(*audio);
        }
        check(avio_open(&m_muxer->pb, m_partial.c_str(), AVIO_FLAG_WRITE));
        check(avformat_write_header(m_muxer.get(), nullptr));
    }
    ~PartWriter() {
        if (m_muxer != nullptr && m_muxer->pb != nullptr) {
            avio_closep(&m_muxer->pb);
        }
        if (!m_finished) {
            std::error_code ignored;
            fs::remove(m_partial, ignored);
        }
    }
    PartWriter(const PartWriter&) = delete;
    PartWriter& operator=(const PartWriter&) = delete;

    [[nodiscard]] AVRational time_base(int stream) const {
        return m_muxer->streams[stream]->time_base;
    }
    [[nodiscard]] bool has_audio() const { return m_muxer->nb_streams > 1; }
    [[nodiscard]] bool empty() const { return m_packets == 0; }

    // The file's size if `bytes` more in `packets` more packets went in.
    [[nodiscard]] std::uint64_t projected_bytes(std::uint64_t bytes, std::uint64_t packets) const {
        return k_container_bytes + m_payload + bytes +
               k_index_bytes_per_packet * (m_packets + packets);
    }

    void write(AVPacket& packet) {
        m_payload += static_cast<std::uint64_t>(packet.size);
        ++m_packets;
        check(av_interleaved_write_frame(m_muxer.get(), &packet));
    }

    // Trailer, sync, rename, folder sync; returns the file's size.
    std::uint64_t finish() {
        check(av_write_trailer(m_muxer.get()));
        check(avio_closep(&m_muxer->pb));
        try {
            sync_file(m_partial);
            fs::rename(m_partial, m_file);
            sync_directory(m_file.parent_path());
        } catch (const fs::filesystem_error& error) {
            throw StorageError(_f("cannot write {}: {}", m_file.string(), error.code().message()));
        }
        m_finished = true;
        std::error_code error;
        const auto bytes = fs::file_size(m_file, error);
        if (error) {
            throw StorageError(_f("cannot read back {}: {}", m_file.string(), error.message()));
        }
        return bytes;
    }

private:
    void add_stream(const AVStream& input) {
        AVStream* stream = avformat_new_stream(m_muxer.get(), nullptr);
        avcodec_parameters_copy(stream->codecpar, input.codecpar);
        stream->codecpar->codec_tag = 0;
        stream->time_base = input.time_base;
    }
    void check(int result) const {
        if (result < 0) {
            throw StorageError(
                _f("cannot write {}: {}; check the free space and that the "
                   "destination is writable",
                   m_file.string(), av_error_text(result)));
        }
    }

    fs::path m_file;
    fs::path m_partial;
    Muxer m_muxer;
    std::uint64_t m_payload = 0;
    std::uint64_t m_packets = 0;
    bool m_finished = false;
};

// A packet read and waiting with its GOP.
struct Pending {
    Packet packet;
    bool video = false;
    TimePoint wall;     // when it is shown, on the server's clock
    TimePoint decoded;  // when it is decoded (before `wall` for pictures that others precede)
};

// Longer than the time a demuxer lets one track run ahead of the other (a fragment of the
// recorder's, a second; FFmpeg's MP4 reader, a second).
constexpr std::chrono::seconds k_reorder_window{3};
// How far the server's clock at a segment's first packet strays from one frame after the
// previous segment's last (network and scheduling delays: tens of milliseconds).
constexpr std::chrono::milliseconds k_clock_jitter{500};

// Reads the segments and writes the parts; one object per request.
class Joiner {
public:
    explicit Joiner(const ConcatRequest& request) : m_request(request) {}

    std::vector<ConcatPart> run() {
        for (const ConcatSource& source : m_request.segments) {
            if (source.end < m_request.range.from || source.start >= m_request.range.to) {
                continue;
            }
            if (!join(source)) {
                break;
            }
        }
        finish_part();
        return std::move(m_parts);
    }

private:
    // The mapping of one segment's timestamps onto the part's: part time = (t − base) + offset.
    struct Mapping {
        std::int64_t base_us = 0;    // the segment's time of the first packet written
        std::int64_t offset_us = 0;  // where that packet falls in the part
    };

    // Joins one segment (read whole: its sound may come after its last picture in the file);
    // false once the range's end was reached.
    bool join(const ConcatSource& source) {
        m_source = &source;
        m_reader = open_segment(source.file);
        m_mapping.reset();
        if (m_part && (!same_stream(m_track_video, m_reader.video) ||
                       !same_stream(m_track_audio, m_reader.audio) ||
                       source.start - m_part_info.end > k_longest_gap_within_a_part)) {
            finish_part();
        }
        Packet packet{av_packet_alloc()};
        m_reached_end = false;
        while (true) {
            const int result = av_read_frame(m_reader.input.get(), packet.get());
            if (result == AVERROR_EOF) {
                break;
            }
            if (result < 0) {
                throw InputError(_f("cannot read the segment {}: {}", source.file.string(),
                                    av_error_text(result)));
            }
            const bool video = packet->stream_index == m_reader.video->index;
            const bool audio =
                m_reader.audio != nullptr && packet->stream_index == m_reader.audio->index;
            if (!video && !audio) {
                av_packet_unref(packet.get());
                continue;
            }
            const AVStream* stream = video ? m_reader.video : m_reader.audio;
            const auto wall_of = [&](std::int64_t ts) {
                return source.start +
                       TimePoint::duration{av_rescale_q(ts, stream->time_base, k_milliseconds)};
            };
            const std::int64_t shown = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
            const std::int64_t decoded = packet->dts != AV_NOPTS_VALUE ? packet->dts : shown;
            Pending pending{Packet{av_packet_alloc()}, video, wall_of(shown), wall_of(decoded)};
            av_packet_move_ref(pending.packet.get(), packet.get());
            put_in_order(std::move(pending));
        }
        while (!m_in_order.empty()) {
            take_earliest();
        }
        write_gop(true);
        return !m_reached_end;
    }

    // A fragmented MP4 holds each fragment's pictures, then its sound: read in file order, the
    // sound comes up to a fragment (a second) late. Packets wait here to be taken in the
    // order of their decoding times — the pictures' own order kept — so that sound goes into
    // the GOP, and the part, that its time belongs to.
    void put_in_order(Pending pending) {
        const auto after = std::upper_bound(
            m_in_order.begin(), m_in_order.end(), pending.decoded,
            [](TimePoint time, const Pending& other) { return time < other.decoded; });
        m_in_order.insert(after, std::move(pending));
        while (m_in_order.back().decoded - m_in_order.front().decoded > k_reorder_window) {
            take_earliest();
        }
    }

    void take_earliest() {
        Pending pending = std::move(m_in_order.front());
        m_in_order.erase(m_in_order.begin());
        if (pending.wall >= m_request.range.to) {
            m_reached_end = m_reached_end || pending.video;
            return;
        }
        if (pending.video && (pending.packet->flags & AV_PKT_FLAG_KEY) != 0) {
            // A GOP wholly before the range's start is dropped: the part starts at the
            // keyframe at or before the start.
            if (m_part == nullptr && pending.wall <= m_request.range.from) {
                m_gop.clear();
            } else {
                write_gop();
            }
        }
        m_gop.push_back(std::move(pending));
    }

    // Writes the packets gathered since the last keyframe. Sound read before a segment's first
    // picture waits for it (it is placed on the timeline that picture starts); at the end of
    // a segment, sound with no picture at all is dropped.
    void write_gop(bool segment_ends = false) {
        const auto keyframe = std::find_if(m_gop.begin(), m_gop.end(),
                                           [](const Pending& pending) { return pending.video; });
        if (keyframe == m_gop.end()) {
            if (segment_ends) {
                m_gop.clear();
            }
            return;
        }
        std::uint64_t bytes = 0;
        for (const Pending& pending : m_gop) {
            bytes += static_cast<std::uint64_t>(pending.packet->size);
        }
        if (m_part && !m_part->empty() &&
            m_part->projected_bytes(bytes, m_gop.size()) > m_request.max_part_bytes) {
            finish_part();
        }
        if (!m_part) {
            start_part(keyframe->wall);
        }
        if (!m_mapping) {
            map_segment(*keyframe);
        }
        for (Pending& pending : m_gop) {
            write(pending);
        }
        m_gop.clear();
    }

    void start_part(TimePoint start) {
        const std::string name =
            m_request.base_name + "_" + std::to_string(m_parts.size() + 1) + ".mp4";
        m_part =
            std::make_unique<PartWriter>(m_request.folder / name, *m_reader.video, m_reader.audio);
        m_track_video = copy_of(m_reader.video);
        m_track_audio = copy_of(m_reader.audio);
        m_part_info = ConcatPart{};
        m_part_info.file = m_request.folder / name;
        m_part_info.start = start;
        m_part_info.end = start;
        m_part_info.audio = m_reader.audio != nullptr;
        m_next_video_us = 0;
        m_video_step_us = 0;
        m_last_dts.assign(2, AV_NOPTS_VALUE);
        m_mapping.reset();
    }

    // The segment's first GOP in this part: the part's start, or after the part's last
    // picture — at the time the clock says (a short gap kept), never before it.
    void map_segment(const Pending& keyframe) {
        const AVPacket& packet = *keyframe.packet;
        Mapping mapping;
        const std::int64_t first = packet.dts != AV_NOPTS_VALUE ? packet.dts : packet.pts;
        mapping.base_us = av_rescale_q(first, m_reader.video->time_base, k_microseconds);
        if (!m_part->empty()) {
            // Up to k_clock_jitter between the previous picture's end and this one's start is
            // the server's clock, not the camera: the segments join picture to picture, so the
            // frames keep their even spacing (players and ffmpeg guess the frame rate from it).
            const std::int64_t by_clock = to_microseconds(keyframe.wall - m_part_info.start);
            mapping.offset_us = by_clock - m_next_video_us > to_microseconds(k_clock_jitter)
                                    ? by_clock
                                    : m_next_video_us;
        }
        m_mapping = mapping;
        if (std::find(m_part_info.source_sha256.begin(), m_part_info.source_sha256.end(),
                      m_source->sha256) == m_part_info.source_sha256.end()) {
            m_part_info.source_sha256.push_back(m_source->sha256);
        }
    }

    // One packet onto the part's timeline; sound before the part's first picture, or that
    // would not follow the sound before it, is left out (it cannot be placed).
    void write(Pending& pending) {
        AVPacket& packet = *pending.packet;
        const AVStream* input = pending.video ? m_reader.video : m_reader.audio;
        const int output = pending.video ? 0 : 1;
        const AVRational part_time_base = m_part->time_base(output);
        const auto to_part = [&](std::int64_t ts) {
            if (ts == AV_NOPTS_VALUE) {
                return ts;
            }
            const std::int64_t us = av_rescale_q(ts, input->time_base, k_microseconds) -
                                    m_mapping->base_us + m_mapping->offset_us;
            return av_rescale_q(us, k_microseconds, part_time_base);
        };
        const std::int64_t duration_us =
            av_rescale_q(packet.duration, input->time_base, k_microseconds);
        packet.pts = to_part(packet.pts);
        packet.dts = to_part(packet.dts);
        packet.duration = av_rescale_q(packet.duration, input->time_base, part_time_base);
        const std::int64_t dts = packet.dts != AV_NOPTS_VALUE ? packet.dts : packet.pts;
        if (!pending.video &&
            (packet.pts < 0 || (m_last_dts[1] != AV_NOPTS_VALUE && dts <= m_last_dts[1]))) {
            return;
        }
        if (pending.video && m_last_dts[0] != AV_NOPTS_VALUE && dts <= m_last_dts[0]) {
            return;  // cannot happen with the recorder's rising times; never a muxer error
        }
        if (pending.video) {
            // A picture lasts its packet's duration, or, where the file gives none (a
            // segment's last packet may have none), as long as the one before it took: the
            // next segment's first picture must not follow closer than a frame.
            const std::int64_t dts_us = av_rescale_q(dts, part_time_base, k_microseconds);
            if (m_last_dts[0] != AV_NOPTS_VALUE) {
                m_video_step_us =
                    dts_us - av_rescale_q(m_last_dts[0], part_time_base, k_microseconds);
            }
            const std::int64_t end_us =
                dts_us + std::max({duration_us, m_video_step_us, std::int64_t{1}});
            m_next_video_us = std::max(m_next_video_us, end_us);
            m_part_info.end = std::max(
                m_part_info.end, pending.wall + std::chrono::duration_cast<TimePoint::duration>(
                                                    std::chrono::microseconds{duration_us}));
        }
        m_last_dts[static_cast<std::size_t>(output)] = dts;
        packet.stream_index = output;
        packet.pos = -1;
        m_part->write(packet);
    }

    void finish_part() {
        if (!m_part) {
            return;
        }
        if (!m_part->empty()) {
            m_part_info.bytes = m_part->finish();
            m_parts.push_back(std::move(m_part_info));
        }
        m_part.reset();
        m_mapping.reset();
    }

    const ConcatRequest& m_request;
    const ConcatSource* m_source = nullptr;
    SegmentReader m_reader;
    std::vector<Pending> m_in_order;  // read, not yet taken (put_in_order)
    std::vector<Pending> m_gop;
    bool m_reached_end = false;  // a picture at or after the range's end was read
    std::unique_ptr<PartWriter> m_part;
    ConcatPart m_part_info;
    // What the part's tracks were made for (a segment that differs starts a new part).
    Parameters m_track_video;
    Parameters m_track_audio;
    std::optional<Mapping> m_mapping;
    std::int64_t m_next_video_us = 0;  // the end of the part's last picture
    std::int64_t m_video_step_us = 0;  // between the part's last two pictures
    std::vector<std::int64_t> m_last_dts;
    std::vector<ConcatPart> m_parts;
};

}  // namespace

std::vector<ConcatPart> concat_segments(const ConcatRequest& request) {
    std::error_code error;
    fs::create_directories(request.folder, error);
    if (error) {
        throw StorageError(
            _f("cannot create the folder {}: {}", request.folder.string(), error.message()));
    }
    return Joiner{request}.run();
}

}  // namespace exam

std::vector<exam::ConcatPart> exam_recording_concat(const exam::ConcatRequest& request) {
    return exam::concat_segments(request);
}
