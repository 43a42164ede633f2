#include <sstream>

#include <gtest/gtest.h>

#include <exam/service/recording_tally.hpp>

namespace {

exam::SegmentRecord segment_of(const std::string& camera, std::uint64_t bytes) {
    exam::SegmentRecord record;
    record.camera = camera;
    record.room = "0101";
    record.bytes = bytes;
    return record;
}

}  // namespace

TEST(RecordingTally, HeartbeatCountsCamerasWithAPictureBytesAndGaps) {
    exam::RecordingTally tally;
    const exam::CameraSource front{"front", "0101", "test:"};
    const exam::CameraSource back{"back", "0101", "test:"};
    tally.switched(front, {.on = true});
    tally.switched(back, {.on = true});
    tally.picture(front, true);
    tally.segment(segment_of("front", 1'500'000));
    tally.segment(segment_of("front", 500'000));
    const exam::TimePoint start{};
    tally.gap({"back", "0101", start, start + std::chrono::seconds{35}, "refused"});
    EXPECT_EQ(tally.heartbeat(), "1 of 2 cameras recording; 2.0 MB in 2 segments; 1 gap (35s)");

    tally.picture(back, true);
    tally.switched(front, {.on = false});
    EXPECT_EQ(tally.heartbeat().substr(0, 24), "1 of 2 cameras recording");

    std::ostringstream summary;
    tally.write_summary(summary);
    EXPECT_EQ(summary.str(),
              "  0101/back: 0 segments, 0 B, 1 gap (35s)\n"
              "  0101/front: 2 segments, 2.0 MB, no gaps\n");
}
