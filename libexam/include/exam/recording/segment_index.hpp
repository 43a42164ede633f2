// The recordings' index: one SQLite file beside the recordings, a row per finished segment
// (which camera, when in wall time and media time, how big, its SHA-256) and per gap (when a
// camera delivered nothing, and why). Written by the recorder, read by export and auditors.
// docs/recording-format.md documents the schema.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include <exam/export.hpp>
#include <exam/util/time.hpp>

namespace exam {

struct SegmentRecord {
    std::string camera;
    std::string room;
    std::optional<std::string> exam;
    std::string file;                 // relative to the recordings folder: ROOM/CAMERA/NAME.mp4
    TimePoint started;                // the server's wall clock at the first packet
    TimePoint ended;                  // ... and at the last
    std::int64_t media_start_ms = 0;  // the camera's own timestamps, as it sent them
    std::int64_t media_end_ms = 0;
    std::uint64_t bytes = 0;
    std::uint64_t frames = 0;  // video packets written
    std::string sha256;        // hex, of the whole file as synced
    bool recovered = false;    // closed after a crash: its tail may be short
    // The codec of the sound kept with the picture ("aac"); nullopt: the segment has none.
    std::optional<std::string> audio;
};

// Why a gap, typed, for the journal's recording-gap entry; `GapRecord::reason` says it in
// words, in English whatever the locale (the index and export manifests keep it).
enum class GapCause { no_picture, disk_full, recorder_stopped };

struct GapRecord {
    std::string camera;
    std::string room;
    TimePoint started;
    TimePoint ended;
    std::string reason;  // "cannot connect to 10.0.0.5:554: Connection refused", in English
    GapCause cause = GapCause::no_picture;  // as the recorder knew it (not kept in the index)
};

// Seconds in which a camera's stream lost packets on the network (RTP over UDP): the pictures
// of that time may show it, and a commission sees "damaged" rather than a silent glitch.
struct DamageRecord {
    std::string camera;
    std::string room;
    TimePoint started;
    TimePoint ended;
    std::uint64_t packets_lost = 0;  // RTP packets missing from the camera's sequence
};

// A segment's file deleted (by `exam-camera purge`): the row of the segment stays, this says
// when the file went and why. The index is append-only; deletions are rows of their own.
struct DeletionRecord {
    std::string file;  // as in SegmentRecord::file
    TimePoint deleted_at;
    std::string reason;  // fixed English words, e.g. "retention: kept until 2027-03-01"
    std::string actor;
};

// What a hold protects from purge: each given field narrows it (all absent: everything). A
// time range matches the segments that overlap it; with an exam, the segments recorded for
// that exam match too.
struct HoldScope {
    std::optional<std::string> exam;
    std::optional<std::string> room;
    std::optional<std::string> camera;
    std::optional<TimePoint> from;
    std::optional<TimePoint> to;
};

struct ReleaseRecord {
    std::int64_t hold = 0;  // the hold's number
    std::string reason;
    std::string actor;
    TimePoint released_at;
};

// A hold (an appeal, an inspection): recordings matching any of its scopes are never purged
// until it is released.
struct HoldRecord {
    std::int64_t number = 0;  // given by add_hold: 1, 2, ...
    std::vector<HoldScope> scopes;
    std::string reason;
    std::string actor;
    TimePoint held_at;
    std::optional<ReleaseRecord> release;  // when released

    [[nodiscard]] bool active() const { return !release.has_value(); }
};

// The note of the segment's journal entry: "FILE sha256 HEX bytes N" (docs/recording-format.md).
// English in every language: the entry is signed, and the note is read back by programs.
EXAM_EXPORT std::string segment_note(const SegmentRecord& segment);

class EXAM_EXPORT SegmentIndex {
public:
    // The index of `recordings` (recordings/index.sqlite), created when missing.
    static SegmentIndex open(const std::filesystem::path& recordings);
    static SegmentIndex open_read_only(const std::filesystem::path& index_file);

    // Durable before it returns (synchronous=FULL): a segment in the index is on disk.
    void add_segment(const SegmentRecord& segment);
    void add_gap(const GapRecord& gap);
    void add_damage(const DamageRecord& damage);

    [[nodiscard]] std::vector<SegmentRecord> segments(const std::string& camera = {});
    [[nodiscard]] std::vector<GapRecord> gaps(const std::string& camera = {});
    [[nodiscard]] std::vector<DamageRecord> damage(const std::string& camera = {});
    [[nodiscard]] bool has_file(const std::string& file);

    // Retention (schema 3). Append-only like the rest: nothing here updates or deletes a row.
    void add_deletion(const DeletionRecord& deletion);
    [[nodiscard]] std::vector<DeletionRecord> deletions();
    // Writes the hold (one row per scope) under the next free number, which it returns.
    std::int64_t add_hold(const HoldRecord& hold);
    // False when no hold has that number or it is released already (nothing written).
    bool add_release(const ReleaseRecord& release);
    // Every hold with its scopes and its release, if any, by number.
    [[nodiscard]] std::vector<HoldRecord> holds();

    [[nodiscard]] static std::filesystem::path file_in(const std::filesystem::path& recordings);

private:
    explicit SegmentIndex(SQLite::Database database) : m_database(std::move(database)) {}
    SQLite::Database m_database;
};

}  // namespace exam
