// Segments made by the real recorder in the test's own process (exam-recording linked), for
// the tests of what reads recordings: the built-in test camera needs no server.
#pragma once

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include <exam/recording/recorder.hpp>

#include "support/background_process.hpp"
#include "support/recordings.hpp"

namespace exam::testing {

// Records `source` into `recordings` in segments of 2 s until `count` segments are indexed,
// then stops the recorder; the index's segments.
inline std::vector<SegmentRecord> record_segments(const CameraSource& source,
                                                  const std::filesystem::path& recordings,
                                                  std::size_t count) {
    RecorderOptions options;
    options.recordings = recordings;
    options.segment_length = std::chrono::seconds{2};
    std::atomic<bool> stop{false};
    std::thread recording{[&] { record_cameras({source}, options, stop); }};
    const bool enough = eventually([&] { return indexed_segments(recordings).size() >= count; },
                                   std::chrono::seconds{90});
    stop.store(true);
    recording.join();
    EXPECT_TRUE(enough) << source.uri;
    return indexed_segments(recordings);
}

}  // namespace exam::testing
