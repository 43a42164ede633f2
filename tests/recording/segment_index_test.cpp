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
