#include <gtest/gtest.h>

#include <exam/archive/journal_proofs.hpp>
#include <exam/core/site_loader.hpp>
#include <exam/journal/merkle.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>

#include "support/temp_dir.hpp"

namespace {

exam::JournalEntry segment_entry(const std::string& file, char hash_digit, std::uint64_t bytes) {
    exam::SegmentRecord record;
    record.file = file;
    record.sha256 = std::string(64, hash_digit);
    record.bytes = bytes;
    exam::JournalEntry entry;
    entry.kind = exam::EntryKind::segment;
    entry.room = "0101";
    entry.camera = "front";
    entry.note = exam::segment_note(record);
    return entry;
}

exam::JournalEntry other_entry() {
    exam::JournalEntry entry;
    entry.kind = exam::EntryKind::other_event;
    entry.note = "coffee machine moved";
    return entry;
}

class SegmentProofsTest : public exam::testing::TempDirTest {
protected:
    void SetUp() override { key = exam::Journal::initialize(site); }

    exam::Site site = exam::parse_site(
        "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
        "timezone = \"Europe/Moscow\"\n",
        temp / "site.toml");
    std::optional<exam::VerifierKey> key;
};

}  // namespace
TEST_F(SegmentProofsTest, ProvesEachAskedSegmentAgainstAFreshCheckpoint) {
    const std::vector<std::string> files{"0101/front/a.mp4", "0101/front/b.mp4",
                                         "0101/front/never.mp4"};
    // Appends less than a second apart leave their checkpoint pending: segment_proofs must
    // sign one that covers them all.
    exam::Journal journal = exam::Journal::open(site);
    journal.append(other_entry());
    journal.append(segment_entry(files[0], 'a', 100));
    journal.append(segment_entry("0101/front/unasked.mp4", 'c', 5));
    journal.append(segment_entry(files[1], 'b', 200));
    journal.append(other_entry());
    const exam::SegmentProofs proofs = exam::segment_proofs(journal, files);
    ASSERT_TRUE(proofs.checkpoint.has_value());
    EXPECT_EQ(proofs.checkpoint->tree_size, 5u);
    const auto checkpoint = exam::open_checkpoint(proofs.checkpoint->note, *key);
    ASSERT_TRUE(checkpoint.has_value());
    EXPECT_EQ(exam::base64_encode(checkpoint->root_hash), proofs.checkpoint->root_hash);

    ASSERT_EQ(proofs.by_file.size(), 2u);
    EXPECT_FALSE(proofs.by_file.contains("0101/front/never.mp4"));
    const exam::JournalledSegment& b = proofs.by_file.at("0101/front/b.mp4");
    EXPECT_EQ(b.sha256, std::string(64, 'b'));
    EXPECT_EQ(b.bytes, 200u);
    EXPECT_EQ(b.proof.seq, 3u);
    EXPECT_NE(b.proof.leaf.find("\"kind\":\"segment\""), std::string::npos) << b.proof.leaf;
    for (const auto& [file, segment] : proofs.by_file) {
        std::vector<exam::merkle::Hash> path;
        for (const std::string& hash : segment.proof.proof) {
            const auto bytes = exam::base64_decode(hash);
            ASSERT_TRUE(bytes && bytes->size() == 32) << hash;
            path.emplace_back();
            std::copy(bytes->begin(), bytes->end(), path.back().begin());
        }
        EXPECT_TRUE(exam::merkle::verify_inclusion(exam::merkle::leaf_hash(segment.proof.leaf),
                                                   segment.proof.seq, checkpoint->tree_size, path,
                                                   checkpoint->root_hash))
            << file;
    }
}

TEST_F(SegmentProofsTest, AReadOnlyCopyGivesTheSameProofs) {
    {
        exam::Journal journal = exam::Journal::open(site);
        journal.append(segment_entry("0101/front/a.mp4", 'a', 100));
        journal.append(segment_entry("0101/front/a.mp4", 'd', 100));  // journalled again
        journal.close();
    }
    exam::Journal copy = exam::Journal::open_read_only(site.paths.journal);
    const std::vector<std::string> files{"0101/front/a.mp4"};
    const exam::SegmentProofs proofs = exam::segment_proofs(copy, files);
    ASSERT_TRUE(proofs.checkpoint.has_value());
    EXPECT_EQ(proofs.checkpoint->tree_size, 2u);
    ASSERT_TRUE(proofs.by_file.contains("0101/front/a.mp4"));
    EXPECT_EQ(proofs.by_file.at("0101/front/a.mp4").sha256, std::string(64, 'd'));
    EXPECT_EQ(proofs.by_file.at("0101/front/a.mp4").proof.seq, 1u);
}

TEST_F(SegmentProofsTest, AnEmptyJournalHasNoCheckpointAndNoProofs) {
    exam::Journal journal = exam::Journal::open(site);
    const std::vector<std::string> files{"0101/front/a.mp4"};
    const exam::SegmentProofs proofs = exam::segment_proofs(journal, files);
    EXPECT_FALSE(proofs.checkpoint.has_value());
    EXPECT_TRUE(proofs.by_file.empty());
}
