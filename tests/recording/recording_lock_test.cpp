// The per-camera lock on a real folder: one holder at a time, seen by others without taking
// it, gone with its holder.
#include <gtest/gtest.h>

#include <exam/recording/recording_lock.hpp>

#include "support/temp_dir.hpp"

namespace {

class RecordingLock : public exam::testing::TempDirTest {};

TEST_F(RecordingLock, OneRecorderAtATimeAndLookingDoesNotTakeIt) {
    const auto folder = exam::camera_folder(temp / "recordings", "0101", "front");
    EXPECT_EQ(folder, temp / "recordings/0101/front");
    EXPECT_TRUE(exam::segments_being_recorded(folder).empty()) << "never recorded";
    {
        auto first = exam::RecordingLock::take(folder);
        ASSERT_TRUE(first);
        temp.write("recordings/0101/front/20260601T073012Z.mp4", "done");
        temp.write("recordings/0101/front/20260601T073112Z.mp4", "done");
        temp.write("recordings/0101/front/20260601T073212Z.mp4.partial", "open");
        // A camera check looks while the camera is held: the open segment, then the last
        // finished one.
        const auto segments = exam::segments_being_recorded(folder);
        ASSERT_EQ(segments.size(), 2u);
        EXPECT_EQ(segments[0].filename(), "20260601T073212Z.mp4.partial");
        EXPECT_EQ(segments[1].filename(), "20260601T073112Z.mp4");
        EXPECT_FALSE(exam::RecordingLock::take(folder)) << "a second recorder is refused";
    }
    // Let go with its holder; looking took nothing, so the next recorder gets it.
    EXPECT_TRUE(exam::segments_being_recorded(folder).empty());
    (void)exam::segments_being_recorded(folder);
    EXPECT_TRUE(exam::RecordingLock::take(folder));
}

}  // namespace
