#include <algorithm>
#include <memory>

extern "C" {
#include <libavformat/avformat.h>
}

#include <exam/recording/segment_index.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

#include "recording/crash_recovery.hpp"
#include "recording/libav_input.hpp"
#include "recording/segment_writer.hpp"

namespace exam {
namespace {

namespace fs = std::filesystem;

// Copies the readable packets of one crashed segment into a clean one, indexes it and removes
// the leftover; returns where what was kept ends.
TimePoint recover_segment(const fs::path& crashed, const CameraSource& source,
                          const RecorderOptions& options, TimePoint now,
                          const std::function<void(const RecordedText&)>& event) {
    const auto started = time_from_segment_name(crashed.filename().string());
    AVFormatContext* raw = nullptr;
    Input input;
    int result = avformat_open_input(&raw, crashed.c_str(), nullptr, nullptr);
    if (result >= 0) {
        input.reset(raw);
        result = avformat_find_stream_info(input.get(), nullptr);
    }
    const int video =
        result < 0 ? result
                   : av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    // The sound the segment kept (AAC) is recovered with it.
    const int audio =
        video < 0 ? -1 : av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    std::optional<SegmentAudio> sound;
    if (audio >= 0 && input->streams[audio]->codecpar->codec_id == AV_CODEC_ID_AAC) {
        sound =
            SegmentAudio{input->streams[audio]->codecpar, input->streams[audio]->time_base, "aac"};
    }
    std::optional<SegmentRecord> recovered;
    if (video >= 0 && started) {
        Packet packet{av_packet_alloc()};
        std::unique_ptr<Segment> segment;
        // Up to the first packet that does not read: the tail after the last synced
        // fragment is what the crash took.
        while (av_read_frame(input.get(), packet.get()) >= 0) {
            if (packet->stream_index == video) {
                if (!segment) {
                    segment = std::make_unique<Segment>(
                        source, options, *input->streams[video]->codecpar,
                        input->streams[video]->time_base, *started,
                        packet->dts == AV_NOPTS_VALUE ? packet->pts : packet->dts,
                        sound ? &*sound : nullptr);
                }
                if (segment->write(*packet) < 0) {
                    break;
                }
            } else if (segment && sound && packet->stream_index == audio) {
                segment->write_audio(*packet);
            }
            av_packet_unref(packet.get());
        }
        if (segment) {
            SegmentRecord record = segment->finish();
            record.ended = record.started +
                           std::chrono::milliseconds{record.media_end_ms - record.media_start_ms};
            record.recovered = true;
            recovered = record;
        }
    }
    input.reset();
    if (recovered) {
        SegmentIndex::open(options.recordings).add_segment(*recovered);
        if (options.on_segment) {
            options.on_segment(*recovered);
        }
        event(_rf("recovered {} frames of {} left open by a crash", recovered->frames,
                  recovered->file));
    } else {
        event(_rf("nothing readable in {}, left open by a crash", crashed.string()));
    }
    fs::remove(crashed);
    sync_directory(crashed.parent_path());
    return recovered ? recovered->ended : started.value_or(now);
}

}  // namespace

CrashRecovery recover_crashed_segments(const CameraSource& source, const RecorderOptions& options,
                                       TimePoint now,
                                       const std::function<void(const RecordedText&)>& event) {
    CrashRecovery recovery;
    const fs::path folder = options.recordings / source.room / source.camera;
    std::error_code missing;
    if (!fs::is_directory(folder, missing)) {
        return recovery;
    }
    std::vector<fs::path> leftovers;
    std::optional<SegmentIndex> index;
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (name.ends_with(".mp4.partial") || name.ends_with(".mp4.crashed")) {
            leftovers.push_back(entry.path());
        } else if (name.ends_with(".mp4") && time_from_segment_name(name)) {
            // Finished and renamed, but the crash came before its row reached the index
            // (found by scripts/soak/service-kill.py): unindexed, it would be neither exported
            // nor counted, and its end not the start of the gap. Recovered like an open one.
            if (!index) {
                index.emplace(SegmentIndex::open(options.recordings));
            }
            const std::string file = (fs::path{source.room} / source.camera / name).string();
            if (!index->has_file(file)) {
                leftovers.push_back(entry.path());
            }
        }
    }
    std::sort(leftovers.begin(), leftovers.end());
    recovery.found = !leftovers.empty();
    for (fs::path leftover : leftovers) {
        if (leftover.extension() == ".mp4") {
            fs::path crashed = leftover;
            crashed += ".crashed";
            fs::rename(leftover, crashed);
            sync_directory(folder);
            leftover = crashed;
        } else if (leftover.extension() == ".partial") {
            // Renamed first, so that a crash during the recovery is recovered again next time.
            fs::path crashed = leftover;
            crashed.replace_extension(".crashed");
            fs::rename(leftover, crashed);
            sync_directory(folder);
            leftover = crashed;
        }
        try {
            const TimePoint since = recover_segment(leftover, source, options, now, event);
            if (!recovery.outage_since || since < *recovery.outage_since) {
                recovery.outage_since = since;
            }
        } catch (const Error& e) {
            event(recorded_text(e));
        }
    }
    return recovery;
}

}  // namespace exam
