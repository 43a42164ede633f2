// verify_journal on files handed to an auditor that are not what they should be.
#include <gtest/gtest.h>

#include <exam/journal/journal.hpp>
#include <exam/journal/verify.hpp>
#include <exam/util/error.hpp>

#include "support/temp_dir.hpp"

namespace {

// Found by fuzz/journal_verify: a journal damaged so that SQLite fails while running its own
// integrity check let SQLite's exception out of the library. It is the damaged-file
// StorageError (exit 74, "restore it from its latest backup") like any other damage.
TEST(VerifyJournal, AFileDamagedPastTheIntegrityCheckIsAStorageErrorNotAnSqliteException) {
    exam::testing::TempDir temp;
    const auto file = temp / "journal.sqlite";
    std::filesystem::copy_file(EXAM_SOURCE_DIR
                               "/tests/fixtures/journals/"
                               "damaged-past-integrity-check.sqlite",
                               file);
    try {
        exam::Journal journal = exam::Journal::open_read_only(file);
        (void)exam::verify_journal(journal, exam::VerifyOptions{});
        ADD_FAILURE() << "the damaged journal verified";
    } catch (const exam::StorageError& e) {
        EXPECT_NE(std::string{e.what()}.find("damaged"), std::string::npos) << e.what();
    }
}

}  // namespace
