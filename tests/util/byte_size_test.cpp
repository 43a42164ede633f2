// Byte sizes as a site file writes them, and the exact spelling an error message tells a
// person to write there.
#include <gtest/gtest.h>

#include <exam/util/byte_size.hpp>

TEST(ByteSize, ReadsTheFormsASiteFileUses) {
    EXPECT_EQ(exam::parse_byte_size("500MB"), 500'000'000u);
    EXPECT_EQ(exam::parse_byte_size("5GB"), 5'000'000'000u);
    EXPECT_EQ(exam::parse_byte_size("2GiB"), 2ull << 30);
    EXPECT_EQ(exam::parse_byte_size("1234"), 1234u);
    EXPECT_FALSE(exam::parse_byte_size("5 gigs"));
}

TEST(ByteSize, TheWrittenFormIsExactAndReadsBack) {
    EXPECT_EQ(exam::byte_size_as_written(5'000'000'000), "5GB");
    EXPECT_EQ(exam::byte_size_as_written(1'500'000), "1500KB");
    EXPECT_EQ(exam::byte_size_as_written(999), "999");
    EXPECT_EQ(exam::byte_size_as_written(0), "0");
    EXPECT_EQ(exam::byte_size_as_written(1ULL << 44), "16TiB");
    for (const std::uint64_t bytes : {0ull, 1ull, 999ull, 1'000ull, 1'500'000ull, 5'000'000'000ull,
                                      3'000'000'000'000ull, 1'073'741'824ull}) {
        EXPECT_EQ(exam::parse_byte_size(exam::byte_size_as_written(bytes)), bytes) << bytes;
    }
}
