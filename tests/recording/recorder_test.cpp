// The recorder through its library interface, against a real RTSP camera (GStreamer's RTSP
// server, tests/fixtures): what the command line cannot reach, such as the server's clock
// being set while a segment is open. The clock is the one thing given to it here; the camera,
// the files and the index are real.
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include <exam/recording/recorder.hpp>
#include <exam/util/time.hpp>

#include "support/background_process.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::BackgroundProcess;
using namespace std::chrono_literals;

class Recorder : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        m_camera = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"/usr/bin/python3",
                                     EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
                                     "front=live"},
            temp / "rtsp.log");
        const auto ready = m_camera->wait_for_line("READY ", 20s);
        ASSERT_TRUE(ready) << exam::testing::read_file(temp / "rtsp.log");
        m_uri = "rtsp://127.0.0.1:" + ready->substr(6) + "/front";
        m_options.recordings = temp / "recordings";
        m_options.segment_length = 60s;  // no cut for length within the test
        m_options.on_event = [this](const std::string& camera, const exam::RecordedText& what) {
            const std::lock_guard lock{m_mutex};
            m_events += camera + ": " + what.shown + "\n";
        };
    }

    std::string events() {
        const std::lock_guard lock{m_mutex};
        return m_events;
    }

    // The open segments' files, in the camera's folder.
    std::vector<fs::path> partial_files() const {
        std::vector<fs::path> found;
        std::error_code missing;
        for (const auto& entry : fs::directory_iterator(temp / "recordings/0101/front", missing)) {
            if (entry.path().extension() == ".partial") {
                found.push_back(entry.path());
            }
        }
        return found;
    }

    std::unique_ptr<BackgroundProcess> m_camera;
    std::string m_uri;
    exam::RecorderOptions m_options;
    std::mutex m_mutex;
    std::string m_events;
};

double milliseconds(exam::TimePoint::duration span) {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(span).count());
}

double media_milliseconds(const exam::SegmentRecord& segment) {
    return static_cast<double>(segment.media_end_ms - segment.media_start_ms);
}

TEST_F(Recorder, AClockStepStartsANewSegmentAndBothSegmentsKeepTrueTimes) {
    std::atomic<std::int64_t> clock_offset_ms{0};
    m_options.wall_clock = [&] {
        return exam::now() + std::chrono::milliseconds{clock_offset_ms.load()};
    };
    std::atomic<bool> stop{false};
    std::thread recording{[&] {
        exam::record_cameras({{"front", "0101", m_uri}}, m_options, stop);
    }};
    // About a second and a half of picture (800 kbit/s) on the old time, then the clock is set
    // an hour ahead.
    const bool recorded = exam::testing::eventually(
        [&] {
            const auto open = partial_files();
            return open.size() == 1 && fs::file_size(open.front()) > 150'000;
        },
        30s);
    if (recorded) {
        clock_offset_ms.store(3'600'000);
    }
    // The old segment is closed at the next keyframe (one a second) and a new one opened.
    const bool cut =
        recorded && exam::testing::eventually(
                        [&] {
                            return exam::SegmentIndex::open_read_only(
                                       exam::SegmentIndex::file_in(m_options.recordings))
                                           .segments()
                                           .size() == 1 &&
                                   partial_files().size() == 1;
                        },
                        30s);
    stop.store(true);
    recording.join();
    ASSERT_TRUE(recorded) << events();
    ASSERT_TRUE(cut) << events();

    auto index =
        exam::SegmentIndex::open_read_only(exam::SegmentIndex::file_in(m_options.recordings));
    const auto segments = index.segments();
    ASSERT_EQ(segments.size(), 2u) << events();
    const auto& before = segments[0];
    const auto& after = segments[1];
    // Each segment's wall times span what its media times span: the step bent neither.
    EXPECT_NEAR(milliseconds(before.ended - before.started), media_milliseconds(before), 300);
    EXPECT_NEAR(milliseconds(after.ended - after.started), media_milliseconds(after), 300);
    // On the wall, the second starts an hour after the first ended; in media time, one frame.
    EXPECT_NEAR(milliseconds(after.started - before.ended), 3'600'000.0, 300);
    EXPECT_GT(after.media_start_ms, before.media_end_ms);
    EXPECT_LE(after.media_start_ms - before.media_end_ms, 100);
    EXPECT_TRUE(index.gaps().empty()) << "a clock step loses no picture";
    EXPECT_NE(events().find("front: the server's clock stepped by +3600 s"), std::string::npos)
        << events();
}

// A crash at any moment has to leave a .partial behind, which marks where the recovery's gap
// begins: a segment cut for length reaches the index only once the next one is open. (A kill
// in between left no trace of the stretch it cost; found by a service test killing the
// service as soon as the first segment was indexed.)
TEST_F(Recorder, ASegmentReachesTheIndexOnlyOnceTheNextIsOpen) {
    m_options.segment_length = 1s;
    std::mutex seen_mutex;
    std::vector<std::size_t> open_when_indexed;
    m_options.on_segment = [&](const exam::SegmentRecord&) {
        const auto open = partial_files().size();
        const std::lock_guard lock{seen_mutex};
        open_when_indexed.push_back(open);
    };
    std::atomic<bool> stop{false};
    std::thread recording{[&] {
        exam::record_cameras({{"front", "0101", "test:320x240@25"}}, m_options, stop);
    }};
    const bool three = exam::testing::eventually(
        [&] {
            const std::lock_guard lock{seen_mutex};
            return open_when_indexed.size() >= 3;
        },
        30s);
    stop.store(true);
    recording.join();
    ASSERT_TRUE(three) << events();
    // The first two were cut while recording went on (the third may have met the stop).
    EXPECT_EQ(open_when_indexed[0], 1u) << events();
    EXPECT_EQ(open_when_indexed[1], 1u) << events();
    EXPECT_TRUE(partial_files().empty()) << "a stop finishes every segment";
}

}  // namespace
