#include <array>

#include <fmt/format.h>

#include <SQLiteCpp/Transaction.h>

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
    // Issue 13: retention. A purge deletes files, never rows: each deletion is a row of its
    // own, and so are holds and their releases. No row of any table is deleted either.
    Migration{3, R"(
CREATE TABLE deletions (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL UNIQUE,     -- as in segments.file
  deleted_at_ms INTEGER NOT NULL,
  reason TEXT NOT NULL,          -- fixed English words: 'retention: kept until 2027-03-01'
  actor TEXT NOT NULL
);
CREATE TABLE holds (
  id INTEGER PRIMARY KEY,
  hold INTEGER NOT NULL,         -- the hold's number; one row per room or camera it names
  exam TEXT,                     -- NULL: any (each column narrows the hold)
  room TEXT,
  camera TEXT,
  from_ms INTEGER,               -- NULL: no bound
  to_ms INTEGER,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  held_at_ms INTEGER NOT NULL
);
CREATE INDEX holds_by_number ON holds (hold);
CREATE TABLE releases (
  id INTEGER PRIMARY KEY,
  hold INTEGER NOT NULL UNIQUE,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  released_at_ms INTEGER NOT NULL
);
CREATE TRIGGER deletions_never_change BEFORE UPDATE ON deletions
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
CREATE TRIGGER holds_never_change BEFORE UPDATE ON holds
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
CREATE TRIGGER releases_never_change BEFORE UPDATE ON releases
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
CREATE TRIGGER segments_never_deleted BEFORE DELETE ON segments
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
CREATE TRIGGER gaps_never_deleted BEFORE DELETE ON gaps
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
CREATE TRIGGER damage_never_deleted BEFORE DELETE ON damage
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
CREATE TRIGGER deletions_never_deleted BEFORE DELETE ON deletions
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
CREATE TRIGGER holds_never_deleted BEFORE DELETE ON holds
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
CREATE TRIGGER releases_never_deleted BEFORE DELETE ON releases
  BEGIN SELECT RAISE(ABORT, 'the recordings index is append-only'); END;
)"},
};

std::int64_t to_ms(TimePoint time) {
    return time.time_since_epoch().count();
}
TimePoint from_ms(std::int64_t ms) {
    return TimePoint{std::chrono::milliseconds{ms}};
}

void bind_optional(SQLite::Statement& statement, int index,
                   const std::optional<std::string>& text) {
    if (text) {
        statement.bind(index, *text);
    }
}
void bind_optional(SQLite::Statement& statement, int index, const std::optional<TimePoint>& time) {
    if (time) {
        statement.bind(index, to_ms(*time));
    }
}
std::optional<std::string> optional_text(const SQLite::Column& column) {
    return column.isNull() ? std::nullopt : std::optional<std::string>{column.getString()};
}
std::optional<TimePoint> optional_time(const SQLite::Column& column) {
    return column.isNull() ? std::nullopt : std::optional<TimePoint>{from_ms(column.getInt64())};
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

// --- retention: deletions, holds and releases ---------------------------------------------

void SegmentIndex::add_deletion(const DeletionRecord& deletion) {
    SQLite::Statement insert{m_database,
                             "INSERT INTO deletions (file, deleted_at_ms, reason, actor) "
                             "VALUES (?,?,?,?)"};
    insert.bind(1, deletion.file);
    insert.bind(2, to_ms(deletion.deleted_at));
    insert.bind(3, deletion.reason);
    insert.bind(4, deletion.actor);
    insert.exec();
}

std::vector<DeletionRecord> SegmentIndex::deletions() {
    SQLite::Statement query{m_database,
                            "SELECT file, deleted_at_ms, reason, actor FROM deletions ORDER BY id"};
    std::vector<DeletionRecord> deletions;
    while (query.executeStep()) {
        deletions.push_back({query.getColumn(0).getString(), from_ms(query.getColumn(1).getInt64()),
                             query.getColumn(2).getString(), query.getColumn(3).getString()});
    }
    return deletions;
}

std::int64_t SegmentIndex::add_hold(const HoldRecord& hold) {
    // The number is taken and the rows written in one write transaction: two terminals
    // holding at once get two numbers.
    SQLite::Transaction transaction{m_database, SQLite::TransactionBehavior::IMMEDIATE};
    SQLite::Statement next{m_database, "SELECT COALESCE(MAX(hold), 0) + 1 FROM holds"};
    next.executeStep();
    const std::int64_t number = next.getColumn(0).getInt64();
    std::vector<HoldScope> scopes = hold.scopes;
    if (scopes.empty()) {
        scopes.emplace_back();  // a hold that names nothing holds everything
    }
    for (const HoldScope& scope : scopes) {
        SQLite::Statement insert{m_database,
                                 "INSERT INTO holds (hold, exam, room, camera, from_ms, to_ms, "
                                 "reason, actor, held_at_ms) VALUES (?,?,?,?,?,?,?,?,?)"};
        insert.bind(1, number);
        bind_optional(insert, 2, scope.exam);
        bind_optional(insert, 3, scope.room);
        bind_optional(insert, 4, scope.camera);
        bind_optional(insert, 5, scope.from);
        bind_optional(insert, 6, scope.to);
        insert.bind(7, hold.reason);
        insert.bind(8, hold.actor);
        insert.bind(9, to_ms(hold.held_at));
        insert.exec();
    }
    transaction.commit();
    return number;
}

bool SegmentIndex::add_release(const ReleaseRecord& release) {
    SQLite::Transaction transaction{m_database, SQLite::TransactionBehavior::IMMEDIATE};
    SQLite::Statement held{m_database,
                           "SELECT 1 FROM holds WHERE hold = ?1 AND NOT EXISTS (SELECT 1 FROM "
                           "releases WHERE releases.hold = ?1)"};
    held.bind(1, release.hold);
    if (!held.executeStep()) {
        return false;
    }
    SQLite::Statement insert{m_database,
                             "INSERT INTO releases (hold, reason, actor, released_at_ms) "
                             "VALUES (?,?,?,?)"};
    insert.bind(1, release.hold);
    insert.bind(2, release.reason);
    insert.bind(3, release.actor);
    insert.bind(4, to_ms(release.released_at));
    insert.exec();
    transaction.commit();
    return true;
}

std::vector<HoldRecord> SegmentIndex::holds() {
    SQLite::Statement query{
        m_database,
        "SELECT h.hold, h.exam, h.room, h.camera, h.from_ms, h.to_ms, h.reason, h.actor, "
        "h.held_at_ms, r.reason, r.actor, r.released_at_ms FROM holds h LEFT JOIN releases r "
        "ON r.hold = h.hold ORDER BY h.hold, h.id"};
    std::vector<HoldRecord> holds;
    while (query.executeStep()) {
        const std::int64_t number = query.getColumn(0).getInt64();
        if (holds.empty() || holds.back().number != number) {
            HoldRecord hold;
            hold.number = number;
            hold.reason = query.getColumn(6).getString();
            hold.actor = query.getColumn(7).getString();
            hold.held_at = from_ms(query.getColumn(8).getInt64());
            if (!query.getColumn(11).isNull()) {
                hold.release = ReleaseRecord{number, query.getColumn(9).getString(),
                                             query.getColumn(10).getString(),
                                             from_ms(query.getColumn(11).getInt64())};
            }
            holds.push_back(std::move(hold));
        }
        holds.back().scopes.push_back(
            {optional_text(query.getColumn(1)), optional_text(query.getColumn(2)),
             optional_text(query.getColumn(3)), optional_time(query.getColumn(4)),
             optional_time(query.getColumn(5))});
    }
    return holds;
}

}  // namespace exam
