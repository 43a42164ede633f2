// What the recorder's libavformat readers share: the interrupt that brings a blocking call
// back on stop or when the camera has been silent too long, and owners of FFmpeg's input
// and packets. Private to libexam-recording.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

extern "C" {
#include <libavformat/avformat.h>
}

namespace exam {

// Blocking libavformat calls come back through this: on stop, or when the camera has sent
// nothing for the stall timeout (a connection that is open but silent).
struct Interrupt {
    const std::atomic<bool>* stop = nullptr;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    bool stalled = false;
};

inline int interrupt_callback(void* opaque) {
    auto* interrupt = static_cast<Interrupt*>(opaque);
    if (interrupt->stop->load()) {
        return 1;
    }
    if (std::chrono::steady_clock::now() > interrupt->deadline) {
        interrupt->stalled = true;
        return 1;
    }
    return 0;
}

struct InputDeleter {
    void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
using Input = std::unique_ptr<AVFormatContext, InputDeleter>;

struct PacketDeleter {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
using Packet = std::unique_ptr<AVPacket, PacketDeleter>;

}  // namespace exam
