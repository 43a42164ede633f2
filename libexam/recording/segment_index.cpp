#include <array>

#include <fmt/format.h>

#include <exam/recording/segment_index.hpp>
#include <exam/util/sqlite.hpp>

namespace exam {
namespace {

constexpr std::array k_migrations{
    Migration{1, R"(
CREATE TABLE segments (
  id INTEGER PRIMARY KEY,
  camera TEXT NOT NULL,
  room TEXT NOT NULL,
  exam TEXT,
  file TEXT NOT NULL UNIQUE,
  started_ms INTEGER NOT NULL,   -- UTC, milliseconds since 1970
  ended_ms INTEGER NOT NULL,
  media_start_ms INTEGER NOT NULL,
  media_end_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  frames INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  recovered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX segments_by_camera ON segments (camera, started_ms);
CREATE TABLE gaps (
  id INTEGER PRIMARY KEY,
  camera TEXT NOT NULL,
  room TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  ended_ms INTEGER NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX gaps_by_camera ON gaps (camera, started_ms);
-- What the recorder wrote is never rewritten: segments and gaps only accumulate.
CREATE TRIGGER segments_never_change BEFORE UPDATE ON segments
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
CREATE TRIGGER gaps_never_change BEFORE UPDATE ON gaps
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
)"},
    // Issue 12: the sound kept with a segment's picture, and the seconds a camera's stream lost
    // packets on the network (RTP over UDP). Rows written before have no sound and no damage.
    Migration{2, R"(
ALTER TABLE segments ADD COLUMN audio TEXT;  -- the audio track's codec ('aac'), NULL: none
CREATE TABLE damage (
  id INTEGER PRIMARY KEY,
  camera TEXT NOT NULL,
  room TEXT NOT NULL,
  started_ms INTEGER NOT NULL,   -- UTC, milliseconds since 1970
  ended_ms INTEGER NOT NULL,
  packets_lost INTEGER NOT NULL  -- RTP packets missing from the camera's sequence then
);
CREATE INDEX damage_by_camera ON damage (camera, started_ms);
CREATE TRIGGER damage_never_changes BEFORE UPDATE ON damage
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
)"},
};

std::int64_t to_ms(TimePoint time) {
    return time.time_since_epoch().count();
}
TimePoint from_ms(std::int64_t ms) {
    return TimePoint{std::chrono::milliseconds{ms}};
}

}  // namespace

std::string segment_note(const SegmentRecord& segment) {
    return fmt::format("{} sha256 {} bytes {}", segment.file, segment.sha256, segment.bytes);
}

std::filesystem::path SegmentIndex::file_in(const std::filesystem::path& recordings) {
    return recordings / "index.sqlite";
}

SegmentIndex SegmentIndex::open(const std::filesystem::path& recordings) {
    std::filesystem::create_directories(recordings);
    return SegmentIndex{open_database(file_in(recordings), {.migrations = k_migrations})};
}

SegmentIndex SegmentIndex::open_read_only(const std::filesystem::path& index_file) {
    return SegmentIndex{open_database(
        index_file, {.access = DatabaseAccess::read_only, .migrations = k_migrations})};
}

void SegmentIndex::add_segment(const SegmentRecord& segment) {
    SQLite::Statement insert{m_database,
                             "INSERT INTO segments (camera, room, exam, file, started_ms, "
                             "ended_ms, media_start_ms, media_end_ms, bytes, frames, sha256, "
                             "recovered, audio) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"};
    insert.bind(1, segment.camera);
    insert.bind(2, segment.room);
    if (segment.exam) {
        insert.bind(3, *segment.exam);
    }
    insert.bind(4, segment.file);
    insert.bind(5, to_ms(segment.started));
    insert.bind(6, to_ms(segment.ended));
    insert.bind(7, segment.media_start_ms);
    insert.bind(8, segment.media_end_ms);
    insert.bind(9, static_cast<std::int64_t>(segment.bytes));
    insert.bind(10, static_cast<std::int64_t>(segment.frames));
    insert.bind(11, segment.sha256);
    insert.bind(12, segment.recovered ? 1 : 0);
    if (segment.audio) {
        insert.bind(13, *segment.audio);
    }
    insert.exec();
}

void SegmentIndex::add_gap(const GapRecord& gap) {
    SQLite::Statement insert{m_database,
                             "INSERT INTO gaps (camera, room, started_ms, ended_ms, reason) "
                             "VALUES (?,?,?,?,?)"};
    insert.bind(1, gap.camera);
    insert.bind(2, gap.room);
    insert.bind(3, to_ms(gap.started));
    insert.bind(4, to_ms(gap.ended));
    insert.bind(5, gap.reason);
    insert.exec();
}

void SegmentIndex::add_damage(const DamageRecord& damage) {
    SQLite::Statement insert{m_database,
                             "INSERT INTO damage (camera, room, started_ms, ended_ms, "
                             "packets_lost) VALUES (?,?,?,?,?)"};
    insert.bind(1, damage.camera);
    insert.bind(2, damage.room);
    insert.bind(3, to_ms(damage.started));
    insert.bind(4, to_ms(damage.ended));
    insert.bind(5, static_cast<std::int64_t>(damage.packets_lost));
    insert.exec();
}

std::vector<SegmentRecord> SegmentIndex::segments(const std::string& camera) {
    SQLite::Statement query{
        m_database,
        "SELECT camera, room, exam, file, started_ms, ended_ms, media_start_ms, "
        "media_end_ms, bytes, frames, sha256, recovered, audio FROM segments WHERE ?1 = '' "
        "OR camera = ?1 ORDER BY camera, started_ms"};
    query.bind(1, camera);
    std::vector<SegmentRecord> segments;
    while (query.executeStep()) {
        SegmentRecord segment;
        segment.camera = query.getColumn(0).getString();
        segment.room = query.getColumn(1).getString();
        if (!query.getColumn(2).isNull()) {
            segment.exam = query.getColumn(2).getString();
        }
        segment.file = query.getColumn(3).getString();
        segment.started = from_ms(query.getColumn(4).getInt64());
        segment.ended = from_ms(query.getColumn(5).getInt64());
        segment.media_start_ms = query.getColumn(6).getInt64();
        segment.media_end_ms = query.getColumn(7).getInt64();
        segment.bytes = static_cast<std::uint64_t>(query.getColumn(8).getInt64());
        segment.frames = static_cast<std::uint64_t>(query.getColumn(9).getInt64());
        segment.sha256 = query.getColumn(10).getString();
        segment.recovered = query.getColumn(11).getInt() != 0;
        if (!query.getColumn(12).isNull()) {
            segment.audio = query.getColumn(12).getString();
        }
        segments.push_back(std::move(segment));
    }
    return segments;
}

std::vector<GapRecord> SegmentIndex::gaps(const std::string& camera) {
    SQLite::Statement query{m_database,
                            "SELECT camera, room, started_ms, ended_ms, reason FROM gaps WHERE ?1 "
                            "= '' OR camera = ?1 ORDER BY camera, started_ms"};
    query.bind(1, camera);
    std::vector<GapRecord> gaps;
    while (query.executeStep()) {
        gaps.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                        from_ms(query.getColumn(2).getInt64()),
                        from_ms(query.getColumn(3).getInt64()), query.getColumn(4).getString()});
    }
    return gaps;
}

std::vector<DamageRecord> SegmentIndex::damage(const std::string& camera) {
    SQLite::Statement query{m_database,
                            "SELECT camera, room, started_ms, ended_ms, packets_lost FROM damage "
                            "WHERE ?1 = '' OR camera = ?1 ORDER BY camera, started_ms"};
    query.bind(1, camera);
    std::vector<DamageRecord> damage;
    while (query.executeStep()) {
        damage.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                          from_ms(query.getColumn(2).getInt64()),
                          from_ms(query.getColumn(3).getInt64()),
                          static_cast<std::uint64_t>(query.getColumn(4).getInt64())});
    }
    return damage;
}

bool SegmentIndex::has_file(const std::string& file) {
    SQLite::Statement query{m_database, "SELECT 1 FROM segments WHERE file = ?"};
    query.bind(1, file);
    return query.executeStep();
}

}  // namespace exam
