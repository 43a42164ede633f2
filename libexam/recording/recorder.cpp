// One thread per camera: connect, copy packets into fragmented-MP4 segments, cut at keyframes,
// reconnect with capped backoff, and account for every outage as a gap.
#include <algorithm>
#include <mutex>
#include <thread>

#include <exam/util/error.hpp>

extern "C" {
#include <libavdevice/avdevice.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
}

#include <fmt/format.h>

#include <exam/recording/recorder.hpp>
#include <exam/recording/recording_lock.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

#include "recording/camera_stream.hpp"
#include "recording/crash_recovery.hpp"
#include "recording/damage_seconds.hpp"
#include "recording/libav_audio.hpp"
#include "recording/libav_input.hpp"
#include "recording/local_sources.hpp"
#include "recording/picture_encoder.hpp"
#include "recording/picture_order.hpp"
#include "recording/rtsp_camera.hpp"
#include "recording/segment_writer.hpp"
#include "recording/stream_parameters.hpp"
#include "recording/synthetic_camera.hpp"

namespace exam {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

class CameraRecorder {
public:
    CameraRecorder(CameraSource source, const RecorderOptions& options,
                   const std::atomic<bool>& stop)
        : m_source(std::move(source)), m_options(options), m_stop(stop) {
        m_interrupt.stop = &stop;
    }

    // run(), and an error that escapes it costs this camera only: it is switched off with
    // the cause, and the others record on.
    void run_and_catch() {
        try {
            run();
        } catch (const std::exception& e) {
            m_failure = recorded_text(e);
            event(_rf("ALARM: recording stopped: {}", m_failure));
            if (m_switched_on) {
                m_switched_on = false;
                switch_off(SwitchOffCause::failed, m_failure.recorded);  // for the journal
            }
        }
    }

    void run() {
        // One recorder per camera: a second one (another terminal, a forgotten service)
        // would write the same folder; it leaves the camera to the first.
        std::optional<RecordingLock> lock;
        try {
            lock = RecordingLock::take(
                camera_folder(m_options.recordings, m_source.room, m_source.camera));
        } catch (const Error& e) {
            m_cannot_start = recorded_text(e);
            event(_rf("ALARM: {}", m_cannot_start));
            return;
        }
        if (!lock) {
            m_held_elsewhere = true;
            event(
                _rf("ALARM: another recorder is recording this camera already; this one "
                    "leaves it alone"));
            return;
        }
        const CrashRecovery recovery = recover_crashed_segments(
            m_source, m_options, wall_clock(), [this](const RecordedText& what) { event(what); });
        if (recovery.outage_since) {
            // The time from the recovered segments' end to the next picture becomes a gap.
            m_outage_since = recovery.outage_since;
            m_outage_cause = GapCause::recorder_stopped;
            m_outage_reason =
                _rf("the recorder stopped unexpectedly (a crash or a power cut); "
                    "what was synced before it was recovered");
        }
        switch_on(recovery.found);
        std::chrono::milliseconds backoff{500};
        while (!m_stop.load()) {
            RecordedText problem;
            const bool delivered = record_one_connection(problem);
            m_ever_delivered = m_ever_delivered || delivered;
            if (m_stop.load()) {
                break;
            }
            m_last_problem = problem;
            if (m_disk_full) {
                // No reconnect: writing on would eat the reserve. The rest is a gap.
                m_outage_since = wall_clock();
                m_outage_cause = GapCause::disk_full;
                m_outage_reason = problem;
                event(_rf("ALARM: {}", problem));
                break;
            }
            if (delivered) {
                backoff = std::chrono::milliseconds{500};
            }
            if (!m_outage_since) {
                m_outage_since = wall_clock();
                m_outage_cause = GapCause::no_picture;
                m_outage_reason = problem;
                event(_rf("no picture: {}; reconnecting", problem));
                if (m_options.on_picture) {
                    m_options.on_picture(m_source, false);
                }
            }
            sleep_unless_stopped(backoff);
            // Capped low: a camera back after an outage is recording again within two seconds.
            backoff = std::min(backoff * 2, std::chrono::milliseconds{2000});
        }
        if (m_outage_since) {
            close_gap(wall_clock());
        }
        switch_off(m_disk_full ? SwitchOffCause::disk_full : SwitchOffCause::requested);
    }

private:
    void switch_on(bool after_crash) {
        m_switched_on = true;
        if (m_options.on_switch) {
            m_options.on_switch(m_source, CameraSwitch{.on = true, .after_crash = after_crash});
        }
    }

    void switch_off(SwitchOffCause cause, const std::string& detail = {}) {
        m_switched_on = false;
        if (m_options.on_switch) {
            m_options.on_switch(m_source,
                                CameraSwitch{.on = false, .cause = cause, .detail = detail});
        }
    }

    // The server's clock (RecorderOptions::wall_clock in tests that step it).
    [[nodiscard]] TimePoint wall_clock() const {
        return m_options.wall_clock ? m_options.wall_clock() : exam::now();
    }

    void event(const RecordedText& what) const {
        if (m_options.on_event) {
            m_options.on_event(m_source.camera, what);
        }
    }

    // The outage ends where the next picture starts (or where recording stops).
    void close_gap(TimePoint until) {
        try {
            SegmentIndex index = SegmentIndex::open(m_options.recordings);
            // The index keeps the reason in English, as it keeps everything else.
            const GapRecord gap{m_source.camera,          m_source.room, *m_outage_since, until,
                                m_outage_reason.recorded, m_outage_cause};
            index.add_gap(gap);
            if (m_options.on_gap) {
                m_options.on_gap(gap);
            }
        } catch (const Error& e) {
            event(recorded_text(e));
        }
        m_outage_since.reset();
    }

    void sleep_unless_stopped(std::chrono::milliseconds pause) const {
        const auto until = Clock::now() + pause;
        while (!m_stop.load() && Clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds{50});  // a stop is seen soon
        }
    }

    void arm_watchdog() { m_interrupt.deadline = Clock::now() + m_options.stall_timeout; }

    // Connects and records until the camera fails or the recorder stops. False when it never
    // delivered a packet; `problem` says why it ended.
    bool record_one_connection(RecordedText& problem) {
        if (m_source.uri.starts_with("test:")) {
            std::optional<SyntheticCamera> camera;
            try {
                camera.emplace(parse_synthetic_camera(m_source.uri), m_stop);
            } catch (const Error& e) {
                problem = recorded_text(e);
                return false;
            }
            return record_packets(
                camera->codec(), camera->time_base(),
                [&](AVPacket& packet) { return camera->read(packet); }, problem);
        }
        if (m_source.uri.starts_with("rtsp://") && !m_through_libavformat) {
            if (const auto address = parse_rtsp_address(m_source.uri)) {
                std::optional<bool> delivered = record_through_our_rtsp(*address, problem);
                if (delivered) {
                    return *delivered;
                }
            }
        }
        AVFormatContext* raw = avformat_alloc_context();
        raw->interrupt_callback = {&interrupt_callback, &m_interrupt};
        AVDictionary* settings = nullptr;
        if (m_source.uri.starts_with("rtsp://")) {
            av_dict_set(&settings, "rtsp_transport", "tcp", 0);
            if (!m_source.audio) {
                av_dict_set(&settings, "allowed_media_types", "video", 0);  // not even set up
            }
        }
        std::string address = m_source.uri;
        const AVInputFormat* format = nullptr;
        const auto usb = usb_camera(m_source.uri);
        if (usb) {
            address = usb->device;
            format = av_find_input_format("video4linux2");
            for (const auto& [name, value] : usb->options) {
                av_dict_set(&settings, name.c_str(), value.c_str(), 0);
            }
            // FFmpeg's V4L2 reader waits for a picture without asking the interrupt
            // callback: read without blocking, so that a stop or the watchdog is seen.
            raw->flags |= AVFMT_FLAG_NONBLOCK;
        }
        m_interrupt.stalled = false;
        arm_watchdog();
        int result = avformat_open_input(&raw, address.c_str(), format, &settings);
        std::string unknown_options;
        for (const AVDictionaryEntry* left =
                 av_dict_get(settings, "", nullptr, AV_DICT_IGNORE_SUFFIX);
             usb && left != nullptr;
             left = av_dict_get(settings, "", left, AV_DICT_IGNORE_SUFFIX)) {
            unknown_options += (unknown_options.empty() ? "" : ", ") + std::string{left->key};
        }
        av_dict_free(&settings);
        if (result >= 0 && !unknown_options.empty()) {
            avformat_close_input(&raw);
            problem =
                _rf("FFmpeg's V4L2 reader has no option {} (its options: video_size, "
                    "framerate, input_format, pixel_format, ...): correct the camera's "
                    "uri in the site file",
                    unknown_options);
            return false;
        }
        m_handing_over.reset();
        if (result < 0) {
            problem = m_interrupt.stalled
                          ? _rf("the camera did not answer")
                          : _rf("cannot open the stream: {}", av_error_text(result));
            return false;
        }
        Input input{raw};
        arm_watchdog();
        result = avformat_find_stream_info(input.get(), nullptr);
        const int video =
            result < 0 ? result
                       : av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
        if (video < 0) {
            problem = _rf("no video stream: {}", av_error_text(video));
            return false;
        }
        const AVStream& stream = *input->streams[video];
        std::optional<FilePlayback> playback;
        if (is_file_source(m_source.uri)) {
            playback.emplace(stream, m_stop);
        }
        int audio_index = -1;
        std::unique_ptr<AudioTrack> audio;
        if (m_source.audio && !playback && !usb) {
            RecordedText not_kept;
            audio = open_libav_audio(*input, audio_index, not_kept);
            say_of_sound(not_kept);
        }
        const auto read_video = [&](AVPacket& packet) {
            arm_watchdog();
            while (true) {
                if (audio && audio->next(packet)) {
                    return 0;
                }
                const int read = av_read_frame(input.get(), &packet);
                if (read == AVERROR(EAGAIN)) {
                    // A USB camera without a picture yet (read without blocking).
                    if (m_stop.load()) {
                        return AVERROR_EXIT;
                    }
                    if (interrupt_callback(&m_interrupt) != 0) {
                        return AVERROR(ETIMEDOUT);  // the watchdog: nothing for too long
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds{5});
                    continue;
                }
                if (read == AVERROR_EOF && playback && playback->rewind(*input, video)) {
                    continue;  // a rehearsal's file plays again
                }
                if (read < 0) {
                    return read;
                }
                if (m_stop.load() || m_interrupt.stalled) {
                    // The read was cut short by the stop or the watchdog: the demuxer hands
                    // over what it had of the access unit (a bare delimiter, say), which
                    // decodes to nothing. The frame is incomplete; it is not written.
                    av_packet_unref(&packet);
                    return AVERROR_EXIT;
                }
                if (audio && packet.stream_index == audio_index) {
                    take_libav_audio(*audio, *input->streams[audio_index], packet);
                }
                if (packet.stream_index != video) {
                    av_packet_unref(&packet);
                    continue;
                }
                if (playback && !playback->play(packet)) {
                    av_packet_unref(&packet);
                    return AVERROR_EXIT;
                }
                return 0;
            }
        };
        if (delivers_pictures(*stream.codecpar)) {
            // Raw or JPEG pictures (a USB camera): encoded, as nothing else can store them.
            const AVRational rate =
                stream.avg_frame_rate.num > 0 ? stream.avg_frame_rate : stream.r_frame_rate;
            std::optional<PictureEncoder> encoder;
            try {
                encoder.emplace(*stream.codecpar, stream.time_base,
                                rate.den > 0 ? rate.num / rate.den : 0,
                                _f("camera {}", m_source.camera));
            } catch (const Error& e) {
                problem = recorded_text(e);
                return false;
            }
            return record_packets(
                encoder->codec(), encoder->time_base(),
                [&](AVPacket& packet) { return encoder->read(packet, read_video); }, problem);
        }
        return record_packets(*stream.codecpar, stream.time_base, read_video, problem, audio.get());
    }

    // An H.264 or H.265 camera over RTSP through our own reader (rtsp_connection.hpp).
    // nullopt when the camera speaks what only libavformat does (another codec, another way
    // of logging in): this camera is then read through libavformat from now on.
    std::optional<bool> record_through_our_rtsp(const RtspAddress& address, RecordedText& problem) {
        m_interrupt.stalled = false;
        m_reader_problem = {};
        std::unique_ptr<RtspConnection> connection;
        std::optional<RtspCamera> camera;
        bool playing = false;
        const auto note = [&](const RtspFailure& failure) {
            if (failure.kind() == RtspFailure::Kind::silent) {
                m_interrupt.stalled = true;
            }
            if (failure.kind() == RtspFailure::Kind::failed) {
                m_reader_problem = failure.text();
            }
            if (failure.kind() == RtspFailure::Kind::unsupported) {
                // Mid-stream: something our reader does not parse. The next connection is
                // libavformat's.
                m_through_libavformat = true;
                m_reader_problem = failure.text();
                event(_rf("{}: read through libavformat from now on", m_reader_problem));
            }
        };
        try {
            connection = std::make_unique<RtspConnection>(address, m_stop, m_options.stall_timeout);
            const RtspStreams streams = connection->start(m_source.audio);
            playing = true;
            if (connection->over_udp() && !std::exchange(m_said_udp, true)) {
                event(_rf("the camera offers no RTP over TCP: recorded over RTP/UDP"));
            }
            camera.emplace(*connection, streams.video, keep_rtsp_audio(streams));
        } catch (const RtspFailure& failure) {
            if (failure.kind() == RtspFailure::Kind::unsupported) {
                m_through_libavformat = true;
                // Kept open until libavformat has connected: a camera that serves one media
                // to all its clients would otherwise be tearing it down just then.
                m_handing_over = std::move(connection);
                const RecordedText why = failure.text();
                event(_rf("{}: read through libavformat", why));
                return std::nullopt;
            }
            note(failure);
            // Silent before PLAY is a camera that does not answer; after it, one that sends
            // no picture.
            problem = m_interrupt.stalled && !playing ? _rf("the camera did not answer")
                                                      : read_problem(AVERROR_EXIT);
            return false;
        }
        DamageLog damage{m_source.camera, m_source.room, m_options.recordings,
                         [this](const RecordedText& what) { event(what); }};
        const auto read = [&](AVPacket& packet) {
            try {
                camera->read(packet);
                damage.note(connection->take_lost_packets(), wall_clock());
                return 0;
            } catch (const RtspFailure& failure) {
                note(failure);
                return AVERROR_EXIT;
            }
        };
        const bool delivered = record_packets(camera->codec(), camera->time_base(), read, problem,
                                              camera->audio_track());
        damage.finish();
        return delivered;
    }

    // What our RTSP session's sound becomes: kept, or not and the terminal says why once.
    std::unique_ptr<RtspAudio> keep_rtsp_audio(const RtspStreams& streams) {
        RecordedText not_kept = streams.audio_problem;
        if (streams.audio && not_kept.shown.empty()) {
            not_kept = audio_not_kept(*streams.audio);
        }
        std::unique_ptr<RtspAudio> audio;
        try {
            if (streams.audio && not_kept.shown.empty()) {
                audio = std::make_unique<RtspAudio>(*streams.audio, streams.video.clock_rate);
            }
        } catch (const Error& e) {
            not_kept = recorded_text(e);
        }
        say_of_sound(not_kept);
        return audio;
    }

    // Why the camera's sound is not kept, said once (not again at every reconnection).
    void say_of_sound(const RecordedText& not_kept) {
        if (!not_kept.shown.empty() && not_kept != m_sound_said) {
            event(_rf("its sound is not recorded: {}", not_kept));
        }
        m_sound_said = not_kept;
    }

    // Why reading stopped, in words.
    [[nodiscard]] RecordedText read_problem(int result) const {
        if (!m_reader_problem.shown.empty()) {
            return m_reader_problem;
        }
        if (m_interrupt.stalled) {
            return _rf("the camera sent nothing for {}", format_span(m_options.stall_timeout));
        }
        if (m_stop.load() || result == AVERROR_EXIT) {
            return _rf("recording stopped");
        }
        return result == AVERROR_EOF ? _rf("the stream ended")
                                     : _rf("the stream broke: {}", av_error_text(result));
    }

    // Writes the packets `read` delivers into segments (camera_stream.hpp).
    bool record_packets(const AVCodecParameters& codec, AVRational time_base,
                        const std::function<int(AVPacket&)>& read, RecordedText& problem,
                        AudioTrack* audio = nullptr) {
        const CameraStream stream{
            .source = m_source,
            .options = m_options,
            .wall_clock = [this] { return wall_clock(); },
            .event = [this](const RecordedText& what) { event(what); },
            .read_problem = [this](int result) { return read_problem(result); },
            .first_picture =
                [this](TimePoint now) {
                    if (m_outage_since) {
                        close_gap(now);
                    }
                    event(_rf("recording"));
                    if (m_options.on_picture) {
                        m_options.on_picture(m_source, true);
                    }
                },
            .disk_full = m_disk_full};
        return record_stream(stream, {codec, time_base, audio}, read, problem);
    }

    CameraSource m_source;
    const RecorderOptions& m_options;
    const std::atomic<bool>& m_stop;
    Interrupt m_interrupt;
    RecordedText m_reader_problem;       // why our RTSP reader stopped, when it did
    bool m_through_libavformat = false;  // the camera speaks what only libavformat does
    std::unique_ptr<RtspConnection> m_handing_over;
    RecordedText m_sound_said;  // why its sound is not kept, as last said
    std::optional<TimePoint> m_outage_since;
    RecordedText m_outage_reason;  // in words: English for the index, and for people
    GapCause m_outage_cause = GapCause::no_picture;
    bool m_disk_full = false;
    bool m_held_elsewhere = false;
    RecordedText m_cannot_start;  // why this camera could not even begin (its folder, say)
    RecordedText m_failure;       // why its recording ended before the stop, when it did
    bool m_switched_on = false;
    bool m_ever_delivered = false;
    bool m_said_udp = false;
    // Why the last connection gave no picture.
    RecordedText m_last_problem{_rf("the recording was stopped before the camera gave a picture")};

public:
    [[nodiscard]] const RecordedText& failure() const { return m_failure; }
    [[nodiscard]] bool disk_full() const { return m_disk_full; }
    [[nodiscard]] bool held_elsewhere() const { return m_held_elsewhere; }
    [[nodiscard]] const RecordedText& cannot_start() const { return m_cannot_start; }
    // Began, but never gave a picture, and why.
    [[nodiscard]] std::optional<RecordedText> never_recorded() const {
        if (m_ever_delivered || m_held_elsewhere || !m_cannot_start.shown.empty()) {
            return std::nullopt;
        }
        return m_failure.shown.empty() ? m_last_problem : m_failure;
    }
};

}  // namespace

RecordingOutcome record_cameras(const std::vector<CameraSource>& sources,
                                const RecorderOptions& options, const std::atomic<bool>& stop) {
    avformat_network_init();
    avdevice_register_all();  // V4L2, for USB cameras
    // FFmpeg's own chatter stays off the operator's terminal; what matters comes as events.
    av_log_set_level(AV_LOG_FATAL);
    // The index exists before the first camera speaks: a wrong folder fails here, at once.
    SegmentIndex::open(options.recordings);
    std::vector<std::thread> threads;
    threads.reserve(sources.size());
    std::atomic<bool> disk_full{false};
    std::mutex outcome_mutex;
    std::vector<std::string> held_elsewhere;
    std::vector<RecordedText> not_started;
    std::vector<RecordedText> failed;
    std::vector<RecordedText> never_recorded;
    // "CAMERA: why", in both languages.
    const auto of_camera = [](const CameraSource& source, const RecordedText& why) {
        return RecordedText{source.camera + ": " + why.recorded, source.camera + ": " + why.shown};
    };
    for (const CameraSource& source : sources) {
        threads.emplace_back([&, source] {
            CameraRecorder recorder{source, options, stop};
            recorder.run_and_catch();
            if (recorder.disk_full()) {
                disk_full.store(true);
            }
            const std::lock_guard lock{outcome_mutex};
            if (recorder.held_elsewhere()) {
                held_elsewhere.push_back(source.camera);
            }
            if (!recorder.cannot_start().shown.empty()) {
                not_started.push_back(of_camera(source, recorder.cannot_start()));
            }
            if (!recorder.failure().shown.empty()) {
                failed.push_back(of_camera(source, recorder.failure()));
            }
            if (const auto why = recorder.never_recorded()) {
                never_recorded.push_back(of_camera(source, *why));
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    std::sort(held_elsewhere.begin(), held_elsewhere.end());
    const auto by_camera = [](const RecordedText& a, const RecordedText& b) {
        return a.recorded < b.recorded;
    };
    std::sort(not_started.begin(), not_started.end(), by_camera);
    std::sort(failed.begin(), failed.end(), by_camera);
    std::sort(never_recorded.begin(), never_recorded.end(), by_camera);
    return {.disk_full = disk_full.load(),
            .held_elsewhere = held_elsewhere,
            .not_started = not_started,
            .failed = failed,
            .never_recorded = never_recorded};
}

}  // namespace exam
