#include "recording/segment_writer.hpp"
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/time.hpp>
#include <exam/util/translate.hpp>

namespace exam {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string av_error_text(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

// Our own file under the muxer, so that we can fdatasync() it after each fragment.
class SegmentFile {
public:
    SegmentFile(const fs::path& path) : m_path(path) {
        m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        if (m_fd < 0) {
            const int error = errno;
            throw StorageError(
                _rf("cannot create the segment {}: {}", path.string(), std::strerror(error)));
        }
        constexpr int k_buffer = 256 * 1024;
        auto* buffer = static_cast<unsigned char*>(av_malloc(k_buffer));
        m_io = avio_alloc_context(buffer, k_buffer, 1, this, nullptr, &SegmentFile::write,
                                  &SegmentFile::seek);
    }
    ~SegmentFile() {
        if (m_io != nullptr) {
            av_freep(&m_io->buffer);
            avio_context_free(&m_io);
        }
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    SegmentFile(const SegmentFile&) = delete;
    SegmentFile& operator=(const SegmentFile&) = delete;

    AVIOContext* io() { return m_io; }
    // What the muxer handed over is on the disk when this returns.
    int sync() {
        avio_flush(m_io);
        if (m_failed != 0) {
            return m_failed;
        }
        return ::fdatasync(m_fd) == 0 ? 0 : AVERROR(errno);
    }
    [[nodiscard]] std::uint64_t bytes() const { return m_bytes; }

private:
    // FFmpeg 5.1 hands the buffer over non-const; later versions make it const.
    static int write(void* opaque, std::uint8_t* data, int size) {
        auto* self = static_cast<SegmentFile*>(opaque);
        int done = 0;
        while (done < size) {
            const ssize_t n = ::pwrite(self->m_fd, data + done,
                                       static_cast<std::size_t>(size - done), self->m_position);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                self->m_failed = AVERROR(n < 0 ? errno : ENOSPC);
                return self->m_failed;
            }
            done += static_cast<int>(n);
            self->m_position += n;
            self->m_bytes = std::max<std::uint64_t>(self->m_bytes,
                                                    static_cast<std::uint64_t>(self->m_position));
        }
        return size;
    }
    static std::int64_t seek(void* opaque, std::int64_t offset, int whence) {
        auto* self = static_cast<SegmentFile*>(opaque);
        if (whence & AVSEEK_SIZE) {
            return static_cast<std::int64_t>(self->m_bytes);
        }
        switch (whence & ~AVSEEK_FORCE) {
            case SEEK_SET: self->m_position = offset; break;
            case SEEK_CUR: self->m_position += offset; break;
            case SEEK_END: self->m_position = static_cast<off_t>(self->m_bytes) + offset; break;
            default: return AVERROR(EINVAL);
        }
        return self->m_position;
    }

    fs::path m_path;
    int m_fd = -1;
    AVIOContext* m_io = nullptr;
    off_t m_position = 0;
    std::uint64_t m_bytes = 0;
    int m_failed = 0;
};

namespace {

std::uint64_t free_bytes(const fs::path& folder) {
    struct statvfs stats {};
    if (::statvfs(folder.c_str(), &stats) != 0) {
        return 0;
    }
    return static_cast<std::uint64_t>(stats.f_bavail) * stats.f_frsize;
}

// "20260601T093012Z": segments sort by name as they sort by time.
std::string segment_name(TimePoint when) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(when);
    const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(seconds)};
    const std::chrono::hh_mm_ss time{seconds - std::chrono::floor<std::chrono::days>(seconds)};
    return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", static_cast<int>(day.year()),
                       static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()),
                       time.hours().count(), time.minutes().count(), time.seconds().count());
}

void add_audio_stream(AVFormatContext& muxer, const SegmentAudio& audio) {
    AVStream* stream = avformat_new_stream(&muxer, nullptr);
    avcodec_parameters_copy(stream->codecpar, audio.codec);
    stream->codecpar->codec_tag = 0;
    stream->time_base = audio.time_base;
}

}  // namespace

// The start time a segment's name carries (to the second), or nullopt for a foreign name.
std::optional<TimePoint> time_from_segment_name(const std::string& name) {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    if (std::sscanf(name.c_str(), "%4d%2u%2uT%2d%2d%2dZ", &year, &month, &day, &hour, &minute,
                    &second) != 6) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                           std::chrono::day{day}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return TimePoint{std::chrono::sys_days{date}} + std::chrono::hours{hour} +
           std::chrono::minutes{minute} + std::chrono::seconds{second};
}

Segment::Segment(const CameraSource& source, const RecorderOptions& options,
                 const AVCodecParameters& codec, AVRational time_base, TimePoint started,
                 std::int64_t first_dts, const SegmentAudio* audio)
    : m_options(options),
      m_first_dts(first_dts),
      m_input_time_base(time_base),
      m_steady_started(Clock::now()) {
    m_record.camera = source.camera;
    m_record.room = source.room;
    m_record.exam = options.exam;
    m_record.started = started;
    m_record.ended = started;
    const fs::path folder = options.recordings / source.room / source.camera;
    fs::create_directories(folder);
    std::string name = segment_name(started);
    // Two segments within a second (a reconnect): keep both.
    for (int n = 1;
         fs::exists(folder / (name + ".mp4")) || fs::exists(folder / (name + ".mp4.partial"));
         ++n) {
        name = segment_name(started) + "-" + std::to_string(n);
    }
    m_record.file = (fs::path{source.room} / source.camera / (name + ".mp4")).string();
    m_final = options.recordings / m_record.file;
    m_partial = m_final;
    m_partial += ".partial";
    m_file = std::make_unique<SegmentFile>(m_partial);

    AVFormatContext* muxer = nullptr;
    avformat_alloc_output_context2(&muxer, nullptr, "mp4", nullptr);
    m_muxer.reset(muxer);
    m_muxer->pb = m_file->io();
    m_muxer->flags |= AVFMT_FLAG_CUSTOM_IO;
    AVStream* stream = avformat_new_stream(m_muxer.get(), nullptr);
    avcodec_parameters_copy(stream->codecpar, &codec);
    stream->codecpar->codec_tag = 0;
    stream->time_base = time_base;
    if (audio != nullptr) {
        add_audio_stream(*m_muxer, *audio);
        m_audio_time_base = audio->time_base;
        m_audio_kept = audio->kept;
    }
    // The file says what it is to any player: which camera, and when it started (UTC).
    av_dict_set(&m_muxer->metadata, "title",
                fmt::format("room {}, camera {}", source.room, source.camera).c_str(), 0);
    av_dict_set(&m_muxer->metadata, "creation_time", format_utc(started).c_str(), 0);
    AVDictionary* settings = nullptr;
    // Fragments we cut ourselves (every second), a header that needs no seek back: the
    // file is playable up to its last synced fragment at any moment.
    av_dict_set(&settings, "movflags", "+frag_custom+empty_moov+default_base_moof", 0);
    const int written = avformat_write_header(m_muxer.get(), &settings);
    av_dict_free(&settings);
    if (written < 0) {
        throw DeviceError(
            _rf("{}: cannot start a segment: {}", source.camera, av_error_text(written)));
    }
    m_last_sync = Clock::now();
}

Segment::~Segment() = default;

int Segment::write(AVPacket& packet) {
    if (packet.dts == AV_NOPTS_VALUE) {
        packet.dts = packet.pts;
    }
    if (packet.pts == AV_NOPTS_VALUE) {
        packet.pts = packet.dts;
    }
    if (packet.dts == AV_NOPTS_VALUE && m_last_dts != AV_NOPTS_VALUE) {
        // A packet without any time: it follows the previous one.
        packet.dts = packet.pts =
            m_last_dts + m_first_dts + std::max<std::int64_t>(packet.duration, 1);
    }
    packet.pts -= m_first_dts;
    packet.dts -= m_first_dts;
    if (m_last_dts != AV_NOPTS_VALUE && packet.dts <= m_last_dts) {
        // A source that repeats a timestamp: the muxer wants decoding times to grow. Only the
        // decoding time moves (a picture shown no earlier than decoded): pictures keep their order.
        packet.dts = m_last_dts + 1;
        packet.pts = std::max(packet.pts, packet.dts);
    }
    // Media time is when pictures are shown: the segment's earliest and latest.
    const std::int64_t media_pts = packet.pts + m_first_dts;
    m_last_dts = packet.dts;
    packet.stream_index = 0;
    av_packet_rescale_ts(&packet, m_input_time_base, m_muxer->streams[0]->time_base);
    const int result = av_write_frame(m_muxer.get(), &packet);
    if (result < 0) {
        return result;
    }
    ++m_record.frames;
    // Within a segment, wall time runs on the steady clock from the segment's start: a
    // step of the server's clock cannot bend a segment's times (it starts a new one).
    m_record.ended = wall_time_now();
    const auto to_ms = [this](std::int64_t ts) {
        return av_rescale_q(ts, m_input_time_base, AVRational{1, 1000});
    };
    const std::int64_t media_ms = to_ms(media_pts);
    if (m_record.frames == 1 || media_ms < m_record.media_start_ms) {
        m_record.media_start_ms = media_ms;
    }
    if (m_record.frames == 1 || media_ms > m_record.media_end_ms) {
        m_record.media_end_ms = media_ms;
    }
    if (Clock::now() - m_last_sync >= m_options.fragment_every) {
        return flush_fragment();
    }
    return 0;
}

void Segment::write_audio(AVPacket& packet) {
    if (!m_audio_time_base || packet.pts == AV_NOPTS_VALUE) {
        return;
    }
    std::int64_t pts = packet.pts - start_in(*m_audio_time_base);
    if (pts < 0 && pts + packet.duration > 0 && m_last_audio_pts == AV_NOPTS_VALUE) {
        // The frame that spans the segment's start (its 1024 samples are 128 ms at 8 kHz):
        // heard from the start, as a player would hear it across the cut.
        pts = 0;
    }
    if (pts < 0 || (m_last_audio_pts != AV_NOPTS_VALUE && pts <= m_last_audio_pts)) {
        return;  // before the first picture, or not after the last sound: belongs elsewhere
    }
    m_last_audio_pts = pts;
    m_record.audio = m_audio_kept;  // the index says "sound" only of a segment that has some
    packet.pts = packet.dts = pts;
    packet.stream_index = 1;
    av_packet_rescale_ts(&packet, *m_audio_time_base, m_muxer->streams[1]->time_base);
    // A muxer's refusal costs this packet of sound only, never the picture.
    av_write_frame(m_muxer.get(), &packet);
}

int Segment::flush_fragment() {
    m_last_sync = Clock::now();
    const int flushed = av_write_frame(m_muxer.get(), nullptr);
    if (flushed < 0) {
        return flushed;
    }
    const int synced = m_file->sync();
    if (synced < 0) {
        return synced;
    }
    // The reserve stays free so that the trailer, the index and the journal can always
    // record a clean stop: below it, this camera stops as if the disk were full.
    return free_bytes(m_options.recordings) < m_options.reserve ? AVERROR(ENOSPC) : 0;
}

SegmentRecord Segment::finish() {
    const int trailer = av_write_trailer(m_muxer.get());
    const int synced = m_file->sync();
    if (trailer < 0 || synced < 0) {
        throw StorageError(_rf("cannot finish the segment {}: {}", m_partial.string(),
                               av_error_text(trailer < 0 ? trailer : synced)));
    }
    m_record.bytes = m_file->bytes();
    m_muxer.reset();
    m_file.reset();
    fs::rename(m_partial, m_final);
    sync_directory(m_final.parent_path());
    m_record.sha256 = to_hex(sha256_file(m_final));
    return m_record;
}

}  // namespace exam
