#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/sqlite.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

void refuse_network_filesystem(const std::filesystem::path& file) {
    const FilesystemInfo fs = filesystem_of(file);
    if (fs.is_network) {
        throw StorageError(
            _f("\"{}\" is on a network file system ({} mounted at {}), where SQLite's locking does "
               "not hold and the database could be corrupted; keep it on a local disk",
               file.string(), fs.type, fs.mount_point));
    }
}

// Creating the file ourselves gives it exactly `mode`; SQLite would use 0644 less the umask.
// SQLite then gives its -wal and -shm files the same permissions as the database.
void create_empty_file(const std::filesystem::path& file, mode_t mode) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        if (errno == EEXIST) {
            return;
        }
        throw StorageError(
            _f("cannot create the database \"{}\": {}", file.string(), std::strerror(errno)));
    }
    const int chmod_result = ::fchmod(fd, mode);
    ::close(fd);
    if (chmod_result != 0) {
        throw StorageError(_f("cannot set the permissions of \"{}\"", file.string()));
    }
}

// A copy cut short is found at once, not when a command happens to read a missing page: an
// SQLite file's header gives its page size and count (when the count is current, bytes 92-95
// equal the change counter at 24-27; file format, section 1.3).
void refuse_cut_short(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::array<unsigned char, 100> header{};
    if (!in.read(reinterpret_cast<char*>(header.data()), header.size()) ||
        std::memcmp(header.data(), "SQLite format 3", 16) != 0) {
        return;  // too short or not SQLite at all: SQLite itself says so on opening
    }
    const auto big_endian = [&header](std::size_t at, std::size_t bytes) {
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < bytes; ++i) {
            value = (value << 8) | header[at + i];
        }
        return value;
    };
    const std::uint64_t page_size = big_endian(16, 2) == 1 ? 65536 : big_endian(16, 2);
    const std::uint64_t pages = big_endian(28, 4);
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    if (!error && pages > 0 && big_endian(92, 4) == big_endian(24, 4) && size < pages * page_size) {
        throw database_error(file, SQLITE_CORRUPT,
                             fmt::format("the file holds {} bytes, its header says {} pages of {}",
                                         size, pages, page_size));
    }
}

int latest_version(std::span<const Migration> migrations) {
    int expected = 1;
    for (const Migration& migration : migrations) {
        if (migration.version != expected) {
            throw InternalError(
                _f("schema migrations out of order: found version {} "
                   "where {} was expected",
                   migration.version, expected));
        }
        ++expected;
    }
    return expected - 1;
}

void migrate(SQLite::Database& database, std::span<const Migration> migrations, int from) {
    for (const Migration& migration : migrations) {
        if (migration.version <= from) {
            continue;
        }
        // Each step commits with its version, so a crash mid-way resumes at the right step.
        SQLite::Transaction transaction(database, SQLite::TransactionBehavior::IMMEDIATE);
        database.exec(std::string{migration.sql});
        database.exec(fmt::format("PRAGMA user_version = {}", migration.version));
        transaction.commit();
    }
}

void check_schema(SQLite::Database& database, const std::filesystem::path& file,
                  const DatabaseOptions& options) {
    const int latest = latest_version(options.migrations);
    const int current = schema_version(database);
    if (current > latest) {
        throw StorageError(
            _f("\"{}\" has schema version {}, newer than the {} this examkit knows; it was written "
               "by a newer examkit, so use that version or newer to read it",
               file.string(), current, latest));
    }
    if (current < latest) {
        if (options.access == DatabaseAccess::read_only) {
            throw StorageError(
                _f("\"{}\" has schema version {} but this examkit reads version {}; open it once "
                   "with a command that writes to it so that it is upgraded",
                   file.string(), current, latest));
        }
        migrate(database, options.migrations, current);
    }
}

}  // namespace

StorageError database_error(const std::filesystem::path& file, int result_code,
                            std::string_view detail) {
    switch (result_code & 0xff) {
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_FORMAT:
        case SQLITE_SCHEMA:
        case SQLITE_ERROR:  // a table or column missing: not the file that was written
            return StorageError(
                _f("the database \"{}\" is damaged (SQLite: {}): part of it was cut off, "
                   "overwritten or changed, so nothing in it can be trusted. Restore it from its "
                   "latest backup, or ask whoever gave it for a new copy",
                   file.string(), detail));
        case SQLITE_FULL:
            return StorageError(
                _f("the disk holding \"{}\" is full (SQLite: {}); free space and try again",
                   file.string(), detail));
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return StorageError(
                _f("\"{}\" is locked by another program (SQLite: {}); try again when it is done",
                   file.string(), detail));
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return StorageError(_f("\"{}\" may not be written (SQLite: {}); check its permissions",
                                   file.string(), detail));
        case SQLITE_IOERR:
            return StorageError(
                _f("reading or writing \"{}\" failed (SQLite: {}): the disk may be failing or "
                   "was removed; copy the file elsewhere and check the disk",
                   file.string(), detail));
        default: return StorageError(_f("SQLite failed on \"{}\": {}", file.string(), detail));
    }
}

StorageError database_error(const std::filesystem::path& file, const SQLite::Exception& error) {
    return database_error(file, error.getErrorCode(), error.what());
}

int schema_version(SQLite::Database& database) {
    return database.execAndGet("PRAGMA user_version").getInt();
}

SQLite::Database open_database(const std::filesystem::path& file, const DatabaseOptions& options) {
    refuse_network_filesystem(file);
    std::error_code error;
    const bool exists = std::filesystem::exists(file, error);
    if (!exists && options.access != DatabaseAccess::create_or_open) {
        throw StorageError(_f("the database \"{}\" does not exist", file.string()));
    }
    if (!exists) {
        create_empty_file(file, options.file_mode);
    }
    if (exists && options.access == DatabaseAccess::read_only) {
        refuse_cut_short(file);
    }
    try {
        const int flags = options.access == DatabaseAccess::read_only ? SQLite::OPEN_READONLY
                                                                      : SQLite::OPEN_READWRITE;
        SQLite::Database database(file.string(), flags,
                                  static_cast<int>(options.busy_timeout.count()));
        database.exec("PRAGMA foreign_keys = ON");
        if (options.access != DatabaseAccess::read_only) {
            const std::string mode = database.execAndGet("PRAGMA journal_mode = WAL").getString();
            if (mode != "wal") {
                throw StorageError(
                    _f("\"{}\" cannot use write-ahead logging (SQLite answered \"{}\")",
                       file.string(), mode));
            }
            database.exec("PRAGMA synchronous = FULL");
        }
        check_schema(database, file, options);
        return database;
    } catch (const SQLite::Exception& e) {
        throw database_error(file, e);
    }
}

}  // namespace exam
