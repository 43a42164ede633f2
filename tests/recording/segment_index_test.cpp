#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <exam/recording/segment_index.hpp>

#include "support/temp_dir.hpp"

TEST(SegmentIndex, TheJournalNoteIsTheDocumentedFileHashAndSize) {
    exam::SegmentRecord segment;
    segment.file = "0101/front/20260601T080000Z.mp4";
    segment.sha256 = std::string(64, 'a');
    segment.bytes = 1048576;
    // docs/recording-format.md: "FILE sha256 HEX bytes N", the same in every language.
    EXPECT_EQ(exam::segment_note(segment),
              "0101/front/20260601T080000Z.mp4 sha256 " + std::string(64, 'a') + " bytes 1048576");
}

namespace {

using exam::testing::TempDirTest;
using SegmentIndexFile = TempDirTest;

exam::SegmentRecord a_segment(std::string file, std::optional<std::string> audio) {
    exam::SegmentRecord segment;
    segment.camera = "0101-front";
    segment.room = "0101";
    segment.file = std::move(file);
    segment.started = exam::TimePoint{std::chrono::milliseconds{1'780'000'000'000}};
    segment.ended = segment.started + std::chrono::seconds{60};
    segment.sha256 = std::string(64, 'b');
    segment.audio = std::move(audio);
    return segment;
}

}  // namespace

TEST_F(SegmentIndexFile, KeepsWhichSegmentsHaveSoundAndTheSecondsTheNetworkDamaged) {
    auto index = exam::SegmentIndex::open(temp.path());
    index.add_segment(a_segment("0101/0101-front/a.mp4", "aac"));
    index.add_segment(a_segment("0101/0101-front/b.mp4", std::nullopt));
    const exam::TimePoint at{std::chrono::milliseconds{1'780'000'010'000}};
    index.add_damage({"0101-front", "0101", at, at + std::chrono::seconds{1}, 3});

    const auto segments = index.segments();
    ASSERT_EQ(segments.size(), 2U);
    EXPECT_EQ(segments[0].audio, std::optional<std::string>{"aac"});
    EXPECT_EQ(segments[1].audio, std::nullopt);
    const auto damage = index.damage("0101-front");
    ASSERT_EQ(damage.size(), 1U);
    EXPECT_EQ(damage[0].started, at);
    EXPECT_EQ(damage[0].ended, at + std::chrono::seconds{1});
    EXPECT_EQ(damage[0].packets_lost, 3U);
    EXPECT_TRUE(index.damage("another").empty());
}

TEST_F(SegmentIndexFile, AnIndexOfTheFirstSchemaIsUpgradedWithItsRowsUntouched) {
    {
        // What examkit wrote before segments could have sound: schema version 1.
        SQLite::Database old{(temp.path() / "index.sqlite").string(),
                             SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
        old.exec(
            "CREATE TABLE segments (id INTEGER PRIMARY KEY, camera TEXT NOT NULL, room TEXT NOT "
            "NULL, exam TEXT, file TEXT NOT NULL UNIQUE, started_ms INTEGER NOT NULL, ended_ms "
            "INTEGER NOT NULL, media_start_ms INTEGER NOT NULL, media_end_ms INTEGER NOT NULL, "
            "bytes INTEGER NOT NULL, frames INTEGER NOT NULL, sha256 TEXT NOT NULL, recovered "
            "INTEGER NOT NULL DEFAULT 0);"
            "CREATE TABLE gaps (id INTEGER PRIMARY KEY, camera TEXT NOT NULL, room TEXT NOT "
            "NULL, started_ms INTEGER NOT NULL, ended_ms INTEGER NOT NULL, reason TEXT NOT NULL);"
            "INSERT INTO segments VALUES (1, 'c', 'r', NULL, 'r/c/old.mp4', 1, 2, 0, 1000, 10, "
            "25, 'ab', 0);"
            "PRAGMA user_version = 1;");
    }
    auto index = exam::SegmentIndex::open(temp.path());
    const auto segments = index.segments();
    ASSERT_EQ(segments.size(), 1U);
    EXPECT_EQ(segments[0].file, "r/c/old.mp4");
    EXPECT_EQ(segments[0].sha256, "ab");
    EXPECT_EQ(segments[0].audio, std::nullopt);
    EXPECT_TRUE(index.damage().empty());
}

TEST_F(SegmentIndexFile, AnIndexOfTheSecondSchemaGainsTheRetentionTablesWithItsRowsUntouched) {
    {
        // What examkit wrote before retention: schema version 2 (upgraded from 1 as above).
        auto index = exam::SegmentIndex::open(temp.path());
        index.add_segment(a_segment("0101/0101-front/a.mp4", "aac"));
        SQLite::Database old{(temp.path() / "index.sqlite").string(), SQLite::OPEN_READWRITE};
        old.exec(
            "DROP TABLE deletions; DROP TABLE holds; DROP TABLE releases;"
            "DROP TRIGGER segments_never_deleted; DROP TRIGGER gaps_never_deleted;"
            "DROP TRIGGER damage_never_deleted; PRAGMA user_version = 2;");
    }
    auto index = exam::SegmentIndex::open(temp.path());
    ASSERT_EQ(index.segments().size(), 1U);
    EXPECT_EQ(index.segments()[0].audio, std::optional<std::string>{"aac"});
    EXPECT_TRUE(index.deletions().empty());
    EXPECT_TRUE(index.holds().empty());
    SQLite::Database check{(temp.path() / "index.sqlite").string(), SQLite::OPEN_READONLY};
    EXPECT_EQ(check.execAndGet("PRAGMA user_version").getInt(), 3);
}

TEST_F(SegmentIndexFile, DeletionsHoldsAndReleasesAreRowsThatNeverChange) {
    auto index = exam::SegmentIndex::open(temp.path());
    index.add_segment(a_segment("0101/0101-front/a.mp4", std::nullopt));
    const exam::TimePoint at{std::chrono::milliseconds{1'800'000'000'000}};
    index.add_deletion({"0101/0101-front/a.mp4", at, "retention: kept until 2027-03-01", "root"});

    exam::HoldRecord hold;
    hold.scopes = {{.exam = "math", .room = "0101", .from = at, .to = at + std::chrono::hours{1}},
                   {.camera = "0102-front"}};
    hold.reason = "appeal 17";
    hold.actor = "root";
    hold.held_at = at;
    EXPECT_EQ(index.add_hold(hold), 1);
    EXPECT_EQ(index.add_hold(hold), 2);
    EXPECT_TRUE(index.add_release({1, "appeal closed", "root", at + std::chrono::hours{2}}));
    EXPECT_FALSE(index.add_release({1, "again", "root", at}));  // released already
    EXPECT_FALSE(index.add_release({9, "no such hold", "root", at}));

    const auto deletions = index.deletions();
    ASSERT_EQ(deletions.size(), 1U);
    EXPECT_EQ(deletions[0].file, "0101/0101-front/a.mp4");
    EXPECT_EQ(deletions[0].deleted_at, at);
    EXPECT_EQ(deletions[0].actor, "root");
    const auto holds = index.holds();
    ASSERT_EQ(holds.size(), 2U);
    EXPECT_FALSE(holds[0].active());
    EXPECT_EQ(holds[0].release->reason, "appeal closed");
    EXPECT_TRUE(holds[1].active());
    ASSERT_EQ(holds[0].scopes.size(), 2U);
    EXPECT_EQ(holds[0].scopes[0].exam, std::optional<std::string>{"math"});
    EXPECT_EQ(holds[0].scopes[0].to, at + std::chrono::hours{1});
    EXPECT_EQ(holds[0].scopes[1].camera, std::optional<std::string>{"0102-front"});
    EXPECT_EQ(holds[0].scopes[1].from, std::nullopt);

    // Append-only: neither an update nor a delete gets through, whatever the table.
    SQLite::Database raw{(temp.path() / "index.sqlite").string(), SQLite::OPEN_READWRITE};
    for (const char* sql :
         {"DELETE FROM segments", "DELETE FROM deletions", "UPDATE deletions SET actor = 'x'",
          "DELETE FROM holds", "UPDATE holds SET reason = 'x'", "DELETE FROM releases",
          "UPDATE releases SET reason = 'x'"}) {
        EXPECT_THROW(raw.exec(sql), SQLite::Exception) << sql;
    }
}
