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

struct GapRecord {
    std::string camera;
    std::string room;
    TimePoint started;
    TimePoint ended;
    std::string reason;  // "the camera refused the connection: ..." in words
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

    [[nodiscard]] static std::filesystem::path file_in(const std::filesystem::path& recordings);

private:
    explicit SegmentIndex(SQLite::Database database) : m_database(std::move(database)) {}
    SQLite::Database m_database;
};

}  // namespace exam
