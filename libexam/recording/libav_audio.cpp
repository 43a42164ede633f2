#include "recording/libav_audio.hpp"

#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "recording/camera_limits.hpp"

namespace exam {

std::unique_ptr<AudioTrack> open_libav_audio(AVFormatContext& input, int& index,
                                             RecordedText& not_kept) {
    index = av_find_best_stream(&input, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (index < 0) {
        return nullptr;
    }
    const AVCodecParameters& codec = *input.streams[index]->codecpar;
    const int channels = codec.ch_layout.nb_channels;
    if (codec.sample_rate < k_lowest_audio_rate || codec.sample_rate > k_highest_audio_rate ||
        channels < 1 || channels > k_most_audio_channels) {
        not_kept = _rf("its sound's rate of {} Hz or its {} channels are not kept",
                       codec.sample_rate, channels);
        return nullptr;
    }
    try {
        if (codec.codec_id == AV_CODEC_ID_AAC && codec.extradata_size > 0) {
            return std::make_unique<AudioTrack>(
                codec.sample_rate, channels,
                std::span<const std::uint8_t>{codec.extradata,
                                              static_cast<std::size_t>(codec.extradata_size)});
        }
        if ((codec.codec_id == AV_CODEC_ID_PCM_MULAW || codec.codec_id == AV_CODEC_ID_PCM_ALAW) &&
            channels == 1) {
            return std::make_unique<AudioTrack>(
                codec.codec_id == AV_CODEC_ID_PCM_MULAW ? AudioCodec::pcmu : AudioCodec::pcma,
                codec.sample_rate);
        }
    } catch (const Error& e) {
        not_kept = recorded_text(e);
        return nullptr;
    }
    not_kept = _rf("its sound is {}, which is not kept (AAC and G.711 are)",
                   avcodec_get_name(codec.codec_id));
    return nullptr;
}

void take_libav_audio(AudioTrack& track, const AVStream& stream, const AVPacket& packet) {
    const std::int64_t pts = packet.pts != AV_NOPTS_VALUE ? packet.pts : packet.dts;
    if (pts == AV_NOPTS_VALUE || packet.size <= 0) {
        return;
    }
    track.add({packet.data, static_cast<std::size_t>(packet.size)},
              av_rescale_q(pts, stream.time_base, track.time_base()));
}

}  // namespace exam
