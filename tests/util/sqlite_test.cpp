#include <array>

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <exam/util/error.hpp>
#include <exam/util/sqlite.hpp>

#include "support/temp_dir.hpp"

namespace {

using exam::DatabaseAccess;
using exam::DatabaseOptions;
using exam::Migration;

constexpr std::array<Migration, 2> k_schema{
    Migration{1, "CREATE TABLE entry (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"},
    Migration{2, "CREATE TABLE note (entry_id INTEGER NOT NULL REFERENCES entry(id), text TEXT);"},
};

class SqliteOpener : public exam::testing::TempDirTest {
protected:
    std::filesystem::path file() const { return temp / "test.sqlite"; }
    DatabaseOptions options(DatabaseAccess access = DatabaseAccess::create_or_open) const {
        return DatabaseOptions{.access = access, .migrations = k_schema};
    }
};

}  // namespace

TEST_F(SqliteOpener, CreatesTheFileWithRestrictiveMode) {
    { auto db = exam::open_database(file(), options()); }
    struct stat status {};
    ASSERT_EQ(::stat(file().c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0640u);
}

TEST_F(SqliteOpener, SetsWalFullSyncForeignKeysAndBusyTimeout) {
    auto db = exam::open_database(file(), options());
    EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
    EXPECT_EQ(db.execAndGet("PRAGMA synchronous").getInt(), 2);  // FULL
    EXPECT_EQ(db.execAndGet("PRAGMA foreign_keys").getInt(), 1);
    EXPECT_EQ(db.execAndGet("PRAGMA busy_timeout").getInt(), 5000);
    EXPECT_THROW(db.exec("INSERT INTO note (entry_id, text) VALUES (42, 'orphan')"),
                 SQLite::Exception);
}

TEST_F(SqliteOpener, MigratesUpToTheLatestVersion) {
    auto db = exam::open_database(file(), options());
    EXPECT_EQ(exam::schema_version(db), 2);
    EXPECT_TRUE(db.tableExists("entry"));
    EXPECT_TRUE(db.tableExists("note"));
}

TEST_F(SqliteOpener, AppliesOnlyTheMissingSteps) {
    {
        auto db = exam::open_database(file(),
                                      DatabaseOptions{.migrations = std::span{k_schema}.first(1)});
        db.exec("INSERT INTO entry (name) VALUES ('kept')");
        EXPECT_EQ(exam::schema_version(db), 1);
    }
    auto db = exam::open_database(file(), options());
    EXPECT_EQ(exam::schema_version(db), 2);
    EXPECT_EQ(db.execAndGet("SELECT name FROM entry").getString(), "kept");
}

TEST_F(SqliteOpener, RefusesADatabaseFromANewerExamkit) {
    {
        auto db = exam::open_database(file(), options());
        db.exec("PRAGMA user_version = 9");
    }
    try {
        (void)exam::open_database(file(), options());
        FAIL() << "no exception";
    } catch (const exam::StorageError& e) {
        EXPECT_NE(std::string{e.what()}.find("newer"), std::string::npos) << e.what();
    }
}

TEST_F(SqliteOpener, ReadOnlyWritesNothing) {
    {
        auto db = exam::open_database(file(), options());
        db.exec("INSERT INTO entry (name) VALUES ('a')");
    }
    auto db = exam::open_database(file(), options(DatabaseAccess::read_only));
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM entry").getInt(), 1);
    EXPECT_THROW(db.exec("INSERT INTO entry (name) VALUES ('b')"), SQLite::Exception);
}

TEST_F(SqliteOpener, ReadOnlyRefusesAnOldSchemaInsteadOfMigrating) {
    {
        auto db = exam::open_database(file(),
                                      DatabaseOptions{.migrations = std::span{k_schema}.first(1)});
    }
    EXPECT_THROW((void)exam::open_database(file(), options(DatabaseAccess::read_only)),
                 exam::StorageError);
}

TEST_F(SqliteOpener, MissingFileIsAnErrorUnlessCreating) {
    EXPECT_THROW((void)exam::open_database(file(), options(DatabaseAccess::open_existing)),
                 exam::StorageError);
    EXPECT_THROW((void)exam::open_database(file(), options(DatabaseAccess::read_only)),
                 exam::StorageError);
    EXPECT_FALSE(std::filesystem::exists(file()));
}

TEST_F(SqliteOpener, AFileThatIsNotADatabaseIsAStorageErrorNamingIt) {
    temp.write("test.sqlite", std::string(4096, 'x'));
    try {
        (void)exam::open_database(file(), options());
        FAIL() << "no exception";
    } catch (const exam::StorageError& e) {
        EXPECT_NE(std::string{e.what()}.find("test.sqlite"), std::string::npos) << e.what();
    }
}

TEST_F(SqliteOpener, MigrationsOutOfOrderAreABug) {
    constexpr std::array<Migration, 1> gap{Migration{2, "CREATE TABLE t (x);"}};
    EXPECT_THROW((void)exam::open_database(file(), DatabaseOptions{.migrations = gap}),
                 exam::InternalError);
}
