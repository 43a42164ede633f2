#include <gtest/gtest.h>

#include <exam/recording/segment_index.hpp>

TEST(SegmentIndex, TheJournalNoteIsTheDocumentedFileHashAndSize) {
    exam::SegmentRecord segment;
    segment.file = "0101/front/20260601T080000Z.mp4";
    segment.sha256 = std::string(64, 'a');
    segment.bytes = 1048576;
    // docs/recording-format.md: "FILE sha256 HEX bytes N", the same in every language.
    EXPECT_EQ(exam::segment_note(segment),
              "0101/front/20260601T080000Z.mp4 sha256 " + std::string(64, 'a') + " bytes 1048576");
}
