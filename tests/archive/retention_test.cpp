#include <fstream>

#include <gtest/gtest.h>

#include <exam/archive/retention.hpp>
#include <exam/core/site_loader.hpp>
#include <exam/util/error.hpp>

#include "support/temp_dir.hpp"

using namespace std::chrono;

namespace {

const exam::TimeZone k_moscow = *exam::TimeZone::find("Europe/Moscow");
constexpr std::chrono::month_day k_first_of_march = March / day{1};

exam::TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi = 0) {
    return exam::TimePoint{sys_days{year{y} / month{mo} / day{d}}} + hours{h} + minutes{mi};
}

exam::SegmentRecord segment(std::string file, exam::TimePoint started, std::string room = "0101",
                            std::string camera = "0101-front") {
    exam::SegmentRecord record;
    record.camera = std::move(camera);
    record.room = std::move(room);
    record.file = std::move(file);
    record.started = started;
    record.ended = started + minutes{1};
    record.bytes = 1000;
    return record;
}

exam::HoldRecord hold(std::int64_t number, exam::HoldScope scope, bool released = false) {
    exam::HoldRecord record;
    record.number = number;
    record.scopes = {std::move(scope)};
    if (released) {
        record.release = exam::ReleaseRecord{number, "closed", "root", utc(2027, 1, 1, 0)};
    }
    return record;
}

}  // namespace

TEST(KeptUntil, TheFirstOfMarchOfTheNextYearAtLocalMidnight) {
    // 1 June 2026 10:00 Moscow: kept until 1 March 2027 00:00 Moscow, 28 Feb 21:00 UTC.
    EXPECT_EQ(exam::kept_until(segment("a", utc(2026, 6, 1, 7)), k_moscow, k_first_of_march),
              utc(2027, 2, 28, 21));
}

TEST(KeptUntil, GoesByTheLocalDateOfTheStart) {
    // 31 December 2026 22:30 UTC is 1 January 2027 01:30 in Moscow: recorded in 2027.
    EXPECT_EQ(exam::kept_until(segment("a", utc(2026, 12, 31, 22, 30)), k_moscow, k_first_of_march),
              utc(2028, 2, 29, 21));
}

TEST(KeptUntil, TheSiteMayNameAnotherDay) {
    EXPECT_EQ(exam::kept_until(segment("a", utc(2026, 6, 1, 7)), k_moscow, September / day{15}),
              utc(2027, 9, 14, 21));
}

TEST(PlanPurge, NeverDeletesWithinRetentionAndDeletesFromItsEnd) {
    const std::vector segments{segment("old", utc(2026, 6, 1, 7))};
    const auto kept_until = utc(2027, 2, 28, 21);
    const auto before = exam::plan_purge(segments, {}, {}, k_moscow, k_first_of_march,
                                         kept_until - milliseconds{1});
    EXPECT_TRUE(before.due.empty());
    EXPECT_EQ(before.kept, 1U);
    const auto at = exam::plan_purge(segments, {}, {}, k_moscow, k_first_of_march, kept_until);
    ASSERT_EQ(at.due.size(), 1U);
    EXPECT_EQ(at.due[0].segment.file, "old");
    EXPECT_EQ(at.due[0].kept_until, kept_until);
    EXPECT_EQ(at.due_bytes(), 1000U);
}

TEST(PlanPurge, AHoldKeepsWhatItCoversUntilReleased) {
    const std::vector segments{segment("0101/a", utc(2026, 6, 1, 7)),
                               segment("0102/b", utc(2026, 6, 1, 7), "0102", "0102-front")};
    const auto later = utc(2027, 6, 1, 0);
    const std::vector holds{hold(1, {.room = "0101"})};
    const auto plan = exam::plan_purge(segments, {}, holds, k_moscow, k_first_of_march, later);
    ASSERT_EQ(plan.held.size(), 1U);
    EXPECT_EQ(plan.held[0].segment.file, "0101/a");
    EXPECT_EQ(plan.held[0].held_by, std::optional<std::int64_t>{1});
    ASSERT_EQ(plan.due.size(), 1U);
    EXPECT_EQ(plan.due[0].segment.file, "0102/b");

    const std::vector released{hold(1, {.room = "0101"}, true)};
    EXPECT_EQ(
        exam::plan_purge(segments, {}, released, k_moscow, k_first_of_march, later).due.size(), 2U);
}

TEST(PlanPurge, FilesDeletedAlreadyAreLeftOut) {
    const std::vector segments{segment("gone", utc(2026, 6, 1, 7))};
    const std::vector<exam::DeletionRecord> deletions{{"gone", utc(2027, 3, 2, 0), "x", "root"}};
    const auto plan =
        exam::plan_purge(segments, deletions, {}, k_moscow, k_first_of_march, utc(2028, 1, 1, 0));
    EXPECT_TRUE(plan.due.empty());
    EXPECT_EQ(plan.kept, 0U);
}

TEST(ScopeCovers, EachFieldNarrowsAndAnExamHoldsItsWindowAndItsSegments) {
    auto in_window = segment("a", utc(2026, 6, 1, 7));
    auto outside = segment("b", utc(2026, 6, 2, 7));
    auto of_exam = segment("c", utc(2026, 6, 3, 7));
    of_exam.exam = "math";
    const exam::HoldScope scope{
        .exam = "math", .room = "0101", .from = utc(2026, 6, 1, 6), .to = utc(2026, 6, 1, 12)};
    EXPECT_TRUE(exam::scope_covers(scope, in_window));
    EXPECT_FALSE(exam::scope_covers(scope, outside));
    EXPECT_TRUE(exam::scope_covers(scope, of_exam));
    auto other_room = in_window;
    other_room.room = "0102";
    EXPECT_FALSE(exam::scope_covers(scope, other_room));
    EXPECT_TRUE(exam::scope_covers({}, outside));  // a scope that names nothing holds all
    EXPECT_TRUE(exam::scope_covers({.camera = "0101-front"}, outside));
    EXPECT_FALSE(exam::scope_covers({.camera = "0101-back"}, outside));
}

TEST(PurgeNote, FixedWordsWithCountBytesAndRange) {
    const std::vector segments{segment("a", utc(2026, 6, 1, 7)), segment("b", utc(2026, 6, 2, 7))};
    const auto plan =
        exam::plan_purge(segments, {}, {}, k_moscow, k_first_of_march, utc(2028, 1, 1, 0));
    EXPECT_EQ(exam::purge_note(plan, utc(2028, 1, 1, 0)),
              "files 2 bytes 2000 from 2026-06-01T07:00:00.000Z to 2026-06-02T07:01:00.000Z");
    // Judged at another time than the real clock (purge --at): the journal says so.
    EXPECT_EQ(exam::purge_note(plan, utc(2026, 12, 1, 0)),
              "files 2 bytes 2000 from 2026-06-01T07:00:00.000Z to 2026-06-02T07:01:00.000Z; "
              "retention judged at 2028-01-01T00:00:00.000Z (shifted clock)");
}

namespace {

using exam::testing::TempDirTest;
using CarryOutPurge = TempDirTest;

}  // namespace

TEST_F(CarryOutPurge, AJournalThatCannotBeWrittenStopsThePurgeBeforeAnyDeletion) {
    // A site that keeps a journal that does not exist: the purge's entry cannot be written.
    const auto site_file = temp.path() / "site.toml";
    std::ofstream{site_file} << "ppe_code = \"0001\"\nregion = \"77\"\nname = \"S\"\n"
                                "timezone = \"Europe/Moscow\"\n[paths]\ndata = \"data\"\n"
                                "recordings = \"rec\"\njournal = \"data/journal.sqlite\"\n"
                                "keys = \"keys\"\n";
    const exam::Site site = exam::load_site(site_file);
    std::filesystem::create_directories(site.paths.recordings / "0101");
    std::ofstream{site.paths.recordings / "0101/a.mp4"} << "video";
    auto index = exam::SegmentIndex::open(site.paths.recordings);
    index.add_segment(segment("0101/a.mp4", utc(2026, 6, 1, 7)));
    const auto plan = exam::plan_purge(index.segments(), {}, {}, site.timezone,
                                       site.recording.keep_until, utc(2028, 1, 1, 0));
    ASSERT_EQ(plan.due.size(), 1U);
    EXPECT_THROW(exam::carry_out_purge(site, index, plan, "root", utc(2028, 1, 1, 0)),
                 exam::StorageError);
    EXPECT_TRUE(std::filesystem::exists(site.paths.recordings / "0101/a.mp4"));
    EXPECT_TRUE(index.deletions().empty());
}
