// Opens SQLite databases the one way examkit wants them: WAL, synchronous=FULL (a committed
// row survives a power cut), a busy timeout, foreign keys on, the schema brought up to date by
// numbered migrations kept in PRAGMA user_version, and never on a network file system.
#pragma once

#include <chrono>
#include <filesystem>
#include <span>
#include <string_view>

#include <SQLiteCpp/Database.h>
#include <sys/types.h>

#include <exam/export.hpp>
#include <exam/util/error.hpp>

namespace exam {

// One step of a schema: version N's SQL takes a database from version N-1 to N.
// Versions start at 1 and follow each other without holes.
struct Migration {
    int version;
    std::string_view sql;
};

enum class DatabaseAccess {
    create_or_open,  // read-write; created with `file_mode` when missing
    open_existing,   // read-write; the file must exist
    read_only,       // nothing is written, not even a migration (auditors' copies)
};

struct DatabaseOptions {
    DatabaseAccess access = DatabaseAccess::create_or_open;
    std::span<const Migration> migrations;
    std::chrono::milliseconds busy_timeout{5000};
    mode_t file_mode = 0640;
};

// Throws StorageError saying which file and what to do when the file is missing, is on a
// network file system, is not a database, or has a schema this build does not know.
EXAM_EXPORT SQLite::Database open_database(const std::filesystem::path& file,
                                           const DatabaseOptions& options);

EXAM_EXPORT int schema_version(SQLite::Database& database);

// The one place SQLite's result codes become our errors: the StorageError (74) for a failure
// SQLite reported on `file`. A damaged file (SQLITE_CORRUPT, SQLITE_NOTADB, a file cut short)
// is called damaged, with what to do: restore it from its backup, or ask for a new copy; a full
// disk, a read error, a lock or a missing permission are named as such. `detail` is SQLite's
// own message.
EXAM_EXPORT StorageError database_error(const std::filesystem::path& file, int result_code,
                                        std::string_view detail);
EXAM_EXPORT StorageError database_error(const std::filesystem::path& file,
                                        const SQLite::Exception& error);

}  // namespace exam
