// Picture health's cost (scripts/bench/health-bench.sh): every keyframe of a clip copied as the
// recorder copies it, decoded alone and judged as the recording service does, ROUNDS times; and
// the same keyframes decoded at full size in colour, as a snapshot takes them. Prints CPU
// milliseconds (this process, every thread) per keyframe; never fails on speed.
//
//   exam-health-bench CLIP.mp4 [ROUNDS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

extern "C" {
#include <libavformat/avformat.h>
}

#include <exam/recording/keyframe.hpp>
#include <exam/vision/keyframe_health.hpp>

#include "recording/keyframe_copy.hpp"

namespace {

double cpu_ms() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

std::vector<exam::Keyframe> keyframes_of(const char* file) {
    AVFormatContext* input = nullptr;
    if (avformat_open_input(&input, file, nullptr, nullptr) < 0 ||
        avformat_find_stream_info(input, nullptr) < 0) {
        std::fprintf(stderr, "health-bench: cannot read %s\n", file);
        std::exit(66);
    }
    const int video = av_find_best_stream(input, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    std::vector<exam::Keyframe> found;
    AVPacket* packet = av_packet_alloc();
    while (av_read_frame(input, packet) >= 0) {
        if (packet->stream_index == video && (packet->flags & AV_PKT_FLAG_KEY) != 0) {
            found.push_back(exam::keyframe_from(*input->streams[video]->codecpar, *packet, {}));
        }
        av_packet_unref(packet);
    }
    av_packet_free(&packet);
    avformat_close_input(&input);
    return found;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: exam-health-bench CLIP.mp4 [ROUNDS]\n");
        return 64;
    }
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
    const std::vector<exam::Keyframe> keyframes = keyframes_of(argv[1]);
    if (keyframes.empty()) {
        std::fprintf(stderr, "health-bench: no keyframe in %s\n", argv[1]);
        return 65;
    }
    exam::KeyframeHealth health;
    std::size_t findings = 0;
    // One of each first: the libraries' first-call set-up (symbol binding, tables) is the
    // process's, not each keyframe's.
    health.judge(exam::decode_keyframe(keyframes.front(), exam::k_health_decoding).gray_view());
    exam::decode_keyframe(keyframes.front(), {.max_width = 0, .planes = exam::DecodedPlanes::bgr});
    double start = cpu_ms();
    for (int round = 0; round < rounds; ++round) {
        for (const exam::Keyframe& keyframe : keyframes) {
            const exam::DecodedPicture picture =
                exam::decode_keyframe(keyframe, exam::k_health_decoding);
            findings += health.judge(picture.gray_view()).size();
        }
    }
    const double count = static_cast<double>(keyframes.size()) * rounds;
    const double health_ms = (cpu_ms() - start) / count;

    start = cpu_ms();
    for (int round = 0; round < rounds; ++round) {
        for (const exam::Keyframe& keyframe : keyframes) {
            exam::decode_keyframe(keyframe, {.max_width = 0, .planes = exam::DecodedPlanes::bgr});
        }
    }
    const double snapshot_ms = (cpu_ms() - start) / count;
    std::printf("keyframes %zu %dx%d rounds %d findings %zu\n", keyframes.size(),
                keyframes.front().width, keyframes.front().height, rounds, findings);
    std::printf("health_ms %.3f\nsnapshot_decode_ms %.3f\n", health_ms, snapshot_ms);
    return 0;
}
