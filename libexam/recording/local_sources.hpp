// Sources read from this machine rather than a network camera: a video file played as a camera
// for rehearsals, and a USB camera's address. Private to libexam-recording.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

extern "C" {
#include <libavformat/avformat.h>
}

namespace exam {

// A file played as a camera, for rehearsals: at its own pace (a frame when its time comes, as
// from a camera) and from the start again at its end, with timestamps running on so that the
// recording sees one endless stream.
class FilePlayback {
public:
    FilePlayback(const AVStream& stream, const std::atomic<bool>& stop)
        : m_time_base(stream.time_base), m_stop(stop) {
        const AVRational rate =
            stream.avg_frame_rate.num > 0 ? stream.avg_frame_rate : AVRational{25, 1};
        m_frame = std::max<std::int64_t>(av_rescale_q(1, av_inv_q(rate), m_time_base), 1);
    }

    // Moves the packet's times to this pass and waits until its time has come; false when the
    // recording stopped meanwhile.
    bool play(AVPacket& packet);
    // At the file's end: back to its start, the next pass's times after this one's.
    bool rewind(AVFormatContext& input, int video);

private:
    AVRational m_time_base;
    const std::atomic<bool>& m_stop;
    std::int64_t m_frame = 1;                         // one frame's duration, in the time base
    std::int64_t m_file_start = AV_NOPTS_VALUE;       // the file's first timestamp
    std::int64_t m_offset = 0;                        // added to this pass's timestamps
    std::int64_t m_pass_end = AV_NOPTS_VALUE;         // where this pass ends, offset applied
    std::int64_t m_first_dts = AV_NOPTS_VALUE;        // paced from here ...
    std::chrono::steady_clock::time_point m_started;  // ... at this moment
};

// "file:/PATH" or "/PATH".
bool is_file_source(const std::string& uri);

// "v4l2:/dev/video0?video_size=1280x720&framerate=25&input_format=mjpeg": the device, and
// the options given to FFmpeg's V4L2 reader as they are written.
struct UsbCamera {
    std::string device;
    std::vector<std::pair<std::string, std::string>> options;
};

// nullopt when `uri` is not "v4l2:...".
std::optional<UsbCamera> usb_camera(const std::string& uri);

}  // namespace exam
