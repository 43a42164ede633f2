#include <gtest/gtest.h>

#include <exam/archive/camera_coverages.hpp>

using namespace std::chrono;

namespace {

exam::TimePoint at(int minute, int second = 0) {
    return exam::TimePoint{sys_days{2026y / June / 1}} + hours{7} + minutes{minute} +
           seconds{second};
}

exam::JournalEntry switched(exam::EntryKind kind, exam::TimePoint time,
                            std::optional<std::string> reason = std::nullopt,
                            std::string camera = "0101-front") {
    exam::JournalEntry entry;
    entry.kind = kind;
    entry.time = time;
    entry.room = "0101";
    entry.camera = std::move(camera);
    entry.reason = std::move(reason);
    entry.actor = "root";
    return entry;
}

constexpr exam::Milliseconds k_margin{seconds{20}};

}  // namespace

TEST(SwitchedOffStretches, FromTheStopToTheNextStartWithReasonAndActor) {
    const std::vector entries{
        switched(exam::EntryKind::recording_start, at(0)),
        switched(exam::EntryKind::recording_stop, at(10), "ctrl-c"),
        switched(exam::EntryKind::recording_start, at(15)),
        switched(exam::EntryKind::recording_stop, at(20), "sigterm"),
    };
    const auto stretches =
        exam::switched_off_stretches(entries, "0101-front", {}, at(30), k_margin);
    ASSERT_EQ(stretches.size(), 2U);
    EXPECT_EQ(stretches[0].started, at(10));
    EXPECT_EQ(stretches[0].ended, at(15));
    EXPECT_EQ(stretches[0].reason, "recording switched off (ctrl-c) by root");
    EXPECT_EQ(stretches[0].room, "0101");
    // The last stop: switched off up to `until`.
    EXPECT_EQ(stretches[1].started, at(20));
    EXPECT_EQ(stretches[1].ended, at(30));
    EXPECT_EQ(stretches[1].reason, "recording switched off (sigterm) by root");
}

TEST(SwitchedOffStretches, ReachTheRecordingsAcrossTheRecordersOwnMoments) {
    const std::vector entries{
        switched(exam::EntryKind::recording_start, at(0)),
        switched(exam::EntryKind::recording_stop, at(10, 1), "ctrl-c"),
        switched(exam::EntryKind::recording_start, at(15)),
    };
    // The last segment closed a second before the stop was written; the first after the
    // start began two seconds after it (connecting to the camera).
    const std::vector<exam::TimeRange> rows{{at(0, 1), at(10)}, {at(15, 2), at(20)}};
    const auto stretches =
        exam::switched_off_stretches(entries, "0101-front", rows, at(30), k_margin);
    ASSERT_EQ(stretches.size(), 1U);
    EXPECT_EQ(stretches[0].started, at(10));
    EXPECT_EQ(stretches[0].ended, at(15, 2));
}

TEST(SwitchedOffStretches, ReachNoFurtherThanTheMargin) {
    const std::vector entries{
        switched(exam::EntryKind::recording_stop, at(10), "ctrl-c"),
        switched(exam::EntryKind::recording_start, at(15)),
    };
    const std::vector<exam::TimeRange> rows{{at(0), at(9)}, {at(16), at(20)}};
    const auto stretches =
        exam::switched_off_stretches(entries, "0101-front", rows, at(30), k_margin);
    ASSERT_EQ(stretches.size(), 1U);
    EXPECT_EQ(stretches[0].started, at(10));
    EXPECT_EQ(stretches[0].ended, at(15));
}

TEST(SwitchedOffStretches, OtherCamerasAndOtherKindsAreIgnored) {
    auto segment = switched(exam::EntryKind::segment, at(12));
    const std::vector entries{
        switched(exam::EntryKind::recording_stop, at(10), "ctrl-c", "0102-front"),
        segment,
    };
    EXPECT_TRUE(exam::switched_off_stretches(entries, "0101-front", {}, at(30), k_margin).empty());
}

TEST(SwitchedOffStretches, AStopWithoutReasonOrActorIsStillExplained) {
    auto stop = switched(exam::EntryKind::recording_stop, at(10));
    stop.actor.reset();
    const auto stretches =
        exam::switched_off_stretches(std::vector{stop}, "0101-front", {}, at(30), k_margin);
    ASSERT_EQ(stretches.size(), 1U);
    EXPECT_EQ(stretches[0].reason, "recording switched off");
}
