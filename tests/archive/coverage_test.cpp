#include <gtest/gtest.h>

#include <exam/archive/coverage.hpp>

using namespace std::chrono;

namespace {

// Minutes after 10:00 UTC on 1 June 2026: the tests read as a timeline.
exam::TimePoint at(int minute, int second = 0) {
    return exam::TimePoint{sys_days{year{2026} / June / 1}} + hours{10} + minutes{minute} +
           seconds{second};
}

exam::SegmentRecord segment(int from, int to, std::string camera = "cam") {
    exam::SegmentRecord record;
    record.camera = std::move(camera);
    record.room = "0101";
    record.file = "0101/cam/x.mp4";
    record.started = at(from);
    record.ended = at(to);
    return record;
}

exam::GapRecord gap(int from, int to, std::string reason, std::string camera = "cam") {
    return {std::move(camera), "0101", at(from), at(to), std::move(reason)};
}

exam::DamageRecord damage(exam::TimePoint from, exam::TimePoint to) {
    return {"cam", "0101", from, to, 3};
}

exam::CameraCoverage coverage_of(exam::TimeRange window,
                                 const std::vector<exam::SegmentRecord>& segments,
                                 const std::vector<exam::GapRecord>& gaps = {},
                                 const std::vector<exam::DamageRecord>& lost = {}) {
    return exam::camera_coverage("cam", "0101", window, segments, gaps, lost);
}

// The stretches tile the window: in order, touching, from its start to its end.
void expect_tiles(const exam::CameraCoverage& coverage) {
    ASSERT_FALSE(coverage.stretches.empty());
    EXPECT_EQ(coverage.stretches.front().range.from, coverage.window.from);
    EXPECT_EQ(coverage.stretches.back().range.to, coverage.window.to);
    for (std::size_t i = 1; i < coverage.stretches.size(); ++i) {
        EXPECT_EQ(coverage.stretches[i - 1].range.to, coverage.stretches[i].range.from);
    }
    EXPECT_EQ(coverage.recorded + coverage.gaps + coverage.missing, coverage.window.length());
}

}  // namespace

TEST(CameraCoverage, WholeWindowRecordedIsComplete) {
    const auto coverage = coverage_of({at(0), at(60)}, {segment(-5, 30), segment(30, 65)});
    expect_tiles(coverage);
    ASSERT_EQ(coverage.stretches.size(), 1U);
    EXPECT_EQ(coverage.stretches[0].state, exam::CoverageState::recorded);
    EXPECT_EQ(coverage.recorded, minutes{60});
    EXPECT_TRUE(coverage.complete());
    EXPECT_EQ(coverage.camera, "cam");
    EXPECT_EQ(coverage.room, "0101");
}

TEST(CameraCoverage, SegmentsCrossingTheEdgesAreClippedToTheWindow) {
    const auto coverage = coverage_of({at(10), at(20)}, {segment(0, 12), segment(18, 40)});
    expect_tiles(coverage);
    ASSERT_EQ(coverage.stretches.size(), 3U);
    EXPECT_EQ(coverage.stretches[0].range, (exam::TimeRange{at(10), at(12)}));
    EXPECT_EQ(coverage.stretches[1].state, exam::CoverageState::missing);
    EXPECT_EQ(coverage.stretches[1].range, (exam::TimeRange{at(12), at(18)}));
    EXPECT_EQ(coverage.stretches[2].range, (exam::TimeRange{at(18), at(20)}));
    EXPECT_EQ(coverage.recorded, minutes{4});
    EXPECT_EQ(coverage.missing, minutes{6});
    EXPECT_FALSE(coverage.complete());
}

TEST(CameraCoverage, OverlappingAndUnorderedSegmentsCountOnce) {
    const auto coverage = coverage_of(
        {at(0), at(30)}, {segment(20, 30), segment(0, 10), segment(5, 15), segment(0, 10)});
    expect_tiles(coverage);
    EXPECT_EQ(coverage.recorded, minutes{25});
    EXPECT_EQ(coverage.missing, minutes{5});
    ASSERT_EQ(coverage.stretches.size(), 3U);
    EXPECT_EQ(coverage.stretches[1].range, (exam::TimeRange{at(15), at(20)}));
}

TEST(CameraCoverage, AFrameBetweenTwoSegmentsIsNotMissing) {
    auto first = segment(0, 10);
    auto second = segment(10, 20);
    second.started = first.ended + milliseconds{40};
    const auto coverage = coverage_of({at(0), at(20)}, {first, second});
    EXPECT_TRUE(coverage.complete());
    EXPECT_EQ(coverage.stretches.size(), 1U);
}

TEST(CameraCoverage, ASegmentOfOnePictureStillJoinsTheOneBefore) {
    auto first = segment(0, 10);
    auto last = segment(10, 10);  // cut by the stop right after its keyframe
    last.started = last.ended = first.ended + milliseconds{52};
    const auto coverage = coverage_of({at(0), at(20)}, {first, last},
                                      {{"cam", "0101", last.ended, at(20), "switched off"}});
    EXPECT_TRUE(coverage.complete());
    ASSERT_EQ(coverage.stretches.size(), 2U);
    EXPECT_EQ(coverage.stretches[0].range.to, last.ended);
}

TEST(CameraCoverage, GapsCarryTheirReasonAndAreNotMissing) {
    const auto coverage = coverage_of({at(0), at(30)}, {segment(0, 10), segment(20, 30)},
                                      {gap(10, 20, "the camera did not answer")});
    expect_tiles(coverage);
    ASSERT_EQ(coverage.stretches.size(), 3U);
    EXPECT_EQ(coverage.stretches[1].state, exam::CoverageState::gap);
    EXPECT_EQ(coverage.stretches[1].reason, "the camera did not answer");
    EXPECT_EQ(coverage.gaps, minutes{10});
    EXPECT_TRUE(coverage.complete());
}

TEST(CameraCoverage, RecordedWinsOverAGapRowThatOverlapsIt) {
    const auto coverage = coverage_of({at(0), at(30)}, {segment(0, 15), segment(25, 30)},
                                      {gap(10, 28, "the stream broke")});
    expect_tiles(coverage);
    ASSERT_EQ(coverage.stretches.size(), 3U);
    EXPECT_EQ(coverage.stretches[1].range, (exam::TimeRange{at(15), at(25)}));
    EXPECT_EQ(coverage.stretches[1].state, exam::CoverageState::gap);
    EXPECT_EQ(coverage.recorded, minutes{20});
    EXPECT_EQ(coverage.gaps, minutes{10});
}

TEST(CameraCoverage, OfTwoOverlappingGapsTheEarlierGivesTheReason) {
    const auto coverage =
        coverage_of({at(0), at(30)}, {}, {gap(10, 30, "second"), gap(0, 20, "first")});
    expect_tiles(coverage);
    ASSERT_EQ(coverage.stretches.size(), 2U);
    EXPECT_EQ(coverage.stretches[0].reason, "first");
    EXPECT_EQ(coverage.stretches[0].range, (exam::TimeRange{at(0), at(20)}));
    EXPECT_EQ(coverage.stretches[1].reason, "second");
    EXPECT_EQ(coverage.gaps, minutes{30});
}

TEST(CameraCoverage, DamageInsideASegmentIsDamagedAndStillRecorded) {
    const auto coverage = coverage_of({at(0), at(10)}, {segment(0, 10)}, {},
                                      {damage(at(4), at(4, 2)), damage(at(4, 1), at(4, 3))});
    expect_tiles(coverage);
    ASSERT_EQ(coverage.stretches.size(), 3U);
    EXPECT_EQ(coverage.stretches[1].state, exam::CoverageState::damaged);
    EXPECT_EQ(coverage.stretches[1].range, (exam::TimeRange{at(4), at(4, 3)}));
    EXPECT_EQ(coverage.damaged, seconds{3});
    EXPECT_EQ(coverage.recorded, minutes{10});
    EXPECT_TRUE(coverage.complete());
}

TEST(CameraCoverage, OtherCamerasRowsAreIgnored) {
    const auto coverage =
        coverage_of({at(0), at(10)}, {segment(0, 10, "other")}, {gap(0, 10, "x", "other")},
                    {{"other", "0101", at(0), at(1), 1}});
    ASSERT_EQ(coverage.stretches.size(), 1U);
    EXPECT_EQ(coverage.stretches[0].state, exam::CoverageState::missing);
    EXPECT_EQ(coverage.missing, minutes{10});
    EXPECT_EQ(coverage.damaged, milliseconds{0});
}

TEST(CameraCoverage, RowsOutsideTheWindowChangeNothing) {
    const auto coverage =
        coverage_of({at(10), at(20)}, {segment(0, 5), segment(25, 30)}, {gap(5, 10, "before")});
    ASSERT_EQ(coverage.stretches.size(), 1U);
    EXPECT_EQ(coverage.stretches[0].state, exam::CoverageState::missing);
}

TEST(CameraCoverage, AnEmptyWindowHasNoStretchesAndIsComplete) {
    const auto coverage = coverage_of({at(10), at(10)}, {segment(0, 30)});
    EXPECT_TRUE(coverage.stretches.empty());
    EXPECT_EQ(coverage.recorded, milliseconds{0});
    EXPECT_TRUE(coverage.complete());
}

TEST(CameraCoverage, StatesHaveMachineNames) {
    EXPECT_EQ(exam::to_string(exam::CoverageState::recorded), "recorded");
    EXPECT_EQ(exam::to_string(exam::CoverageState::gap), "gap");
    EXPECT_EQ(exam::to_string(exam::CoverageState::damaged), "damaged");
    EXPECT_EQ(exam::to_string(exam::CoverageState::missing), "missing");
}
