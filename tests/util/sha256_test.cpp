#include <gtest/gtest.h>

#include <exam/util/error.hpp>
#include <exam/util/sha256.hpp>

#include "support/temp_dir.hpp"

using exam::sha256;
using exam::to_hex;

// Test vectors from NIST's "SHA-256 examples" (FIPS 180-2 appendix B) and the CAVP set.
TEST(Sha256, EmptyMessage) {
    EXPECT_EQ(to_hex(sha256("")),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, OneBlockMessageAbc) {
    EXPECT_EQ(to_hex(sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlockMessage) {
    EXPECT_EQ(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, MillionAsStreamedInUnevenChunks) {
    exam::Sha256 hash;
    std::size_t fed = 0;
    for (std::size_t chunk = 1; fed < 1000000; chunk = chunk * 7 % 9973 + 1) {
        const std::size_t size = std::min(chunk, 1000000 - fed);
        hash.update(std::string(size, 'a'));
        fed += size;
    }
    EXPECT_EQ(to_hex(hash.finish()),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, FinishStartsAFreshHash) {
    exam::Sha256 hash;
    hash.update("abc");
    (void)hash.finish();
    EXPECT_EQ(to_hex(hash.finish()), to_hex(sha256("")));
}

class Sha256File : public exam::testing::TempDirTest {};

TEST_F(Sha256File, MatchesTheInMemoryHash) {
    std::string content;
    for (int i = 0; i < 300000; ++i) {
        content += static_cast<char>(i * 31 % 251);
    }
    const auto file = temp.write("blob.bin", content);
    EXPECT_EQ(exam::sha256_file(file), sha256(content));
}

TEST_F(Sha256File, MissingFileIsAStorageErrorNamingIt) {
    try {
        (void)exam::sha256_file(temp / "absent.bin");
        FAIL() << "no exception";
    } catch (const exam::StorageError& e) {
        EXPECT_NE(std::string{e.what()}.find("absent.bin"), std::string::npos);
    }
}
