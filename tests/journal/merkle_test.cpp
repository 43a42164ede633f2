#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <exam/journal/merkle.hpp>
#include <exam/util/base64.hpp>

namespace merkle = exam::merkle;

namespace {

// The eight test leaves of RFC 6962's reference implementation (Certificate Transparency).
std::vector<merkle::Hash> reference_leaves() {
    std::vector<merkle::Hash> leaves;
    for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                            "606162636465666768696a6b6c6d6e6f"}) {
        const auto bytes = exam::hex_decode(hex).value();
        leaves.push_back(merkle::leaf_hash(std::string(bytes.begin(), bytes.end())));
    }
    return leaves;
}

merkle::Hash hash_of(std::string_view hex) {
    const auto bytes = exam::hex_decode(hex).value();
    merkle::Hash hash{};
    std::copy(bytes.begin(), bytes.end(), hash.begin());
    return hash;
}

std::vector<std::string> hex_all(const std::vector<merkle::Hash>& hashes) {
    std::vector<std::string> out;
    for (const auto& hash : hashes) {
        out.push_back(exam::to_hex(hash));
    }
    return out;
}

const char* const k_roots[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

}  // namespace

TEST(Merkle, EmptyTreeIsTheHashOfNothing) {
    EXPECT_EQ(exam::to_hex(merkle::root({})),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Merkle, ReferenceRootsForEverySizeUpToEight) {
    const auto leaves = reference_leaves();
    for (std::size_t size = 1; size <= 8; ++size) {
        EXPECT_EQ(exam::to_hex(merkle::root(std::span{leaves}.first(size))), k_roots[size - 1])
            << size;
    }
}

TEST(Merkle, CompactRangeGivesTheSameRootsAsTheFullTree) {
    const auto leaves = reference_leaves();
    merkle::CompactRange range;
    for (std::size_t size = 1; size <= 8; ++size) {
        range.append(leaves[size - 1]);
        EXPECT_EQ(exam::to_hex(range.root()), k_roots[size - 1]) << size;
        // Reloading from stored peaks goes on from the same place.
        merkle::CompactRange reloaded{range.size(), range.peaks()};
        EXPECT_EQ(reloaded.root(), range.root());
    }
}

TEST(Merkle, ReferenceInclusionProofs) {
    const auto leaves = reference_leaves();
    EXPECT_EQ(hex_all(merkle::inclusion_proof(leaves, 0, 8)),
              (std::vector<std::string>{
                  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
    EXPECT_EQ(hex_all(merkle::inclusion_proof(leaves, 5, 8)),
              (std::vector<std::string>{
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
}

TEST(Merkle, EveryInclusionProofVerifies) {
    const auto leaves = reference_leaves();
    for (std::uint64_t size = 1; size <= 8; ++size) {
        for (std::uint64_t index = 0; index < size; ++index) {
            const auto proof = merkle::inclusion_proof(leaves, index, size);
            EXPECT_TRUE(merkle::verify_inclusion(leaves[index], index, size, proof,
                                                 hash_of(k_roots[size - 1])))
                << index << " of " << size;
        }
    }
}

TEST(Merkle, MalformedInclusionProofsAreRejected) {
    const auto leaves = reference_leaves();
    const auto root = hash_of(k_roots[7]);
    auto proof = merkle::inclusion_proof(leaves, 5, 8);
    EXPECT_FALSE(merkle::verify_inclusion(leaves[4], 5, 8, proof, root));  // wrong leaf
    EXPECT_FALSE(merkle::verify_inclusion(leaves[5], 4, 8, proof, root));  // wrong index
    EXPECT_FALSE(
        merkle::verify_inclusion(leaves[5], 5, 7, proof, hash_of(k_roots[6])));  // wrong size
    EXPECT_FALSE(merkle::verify_inclusion(leaves[5], 8, 8, proof, root));        // index outside
    auto longer = proof;
    longer.push_back(proof.back());
    EXPECT_FALSE(merkle::verify_inclusion(leaves[5], 5, 8, longer, root));
    auto shorter = proof;
    shorter.pop_back();
    EXPECT_FALSE(merkle::verify_inclusion(leaves[5], 5, 8, shorter, root));
    proof[1][0] ^= 1;
    EXPECT_FALSE(merkle::verify_inclusion(leaves[5], 5, 8, proof, root));
}

TEST(Merkle, ReferenceConsistencyProofs) {
    const auto leaves = reference_leaves();
    EXPECT_EQ(hex_all(merkle::consistency_proof(leaves, 1, 8)),
              (std::vector<std::string>{
                  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
    EXPECT_EQ(hex_all(merkle::consistency_proof(leaves, 6, 8)),
              (std::vector<std::string>{
                  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
    EXPECT_EQ(hex_all(merkle::consistency_proof(leaves, 2, 5)),
              (std::vector<std::string>{
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
}

TEST(Merkle, EveryConsistencyProofVerifies) {
    const auto leaves = reference_leaves();
    for (std::uint64_t old_size = 1; old_size <= 8; ++old_size) {
        for (std::uint64_t new_size = old_size; new_size <= 8; ++new_size) {
            const auto proof = merkle::consistency_proof(leaves, old_size, new_size);
            EXPECT_TRUE(merkle::verify_consistency(old_size, new_size,
                                                   hash_of(k_roots[old_size - 1]),
                                                   hash_of(k_roots[new_size - 1]), proof))
                << old_size << " -> " << new_size;
        }
    }
}

TEST(Merkle, MalformedConsistencyProofsAreRejected) {
    const auto leaves = reference_leaves();
    const auto old_root = hash_of(k_roots[5]);
    const auto new_root = hash_of(k_roots[7]);
    auto proof = merkle::consistency_proof(leaves, 6, 8);
    EXPECT_FALSE(merkle::verify_consistency(6, 8, new_root, new_root, proof));  // wrong old root
    EXPECT_FALSE(merkle::verify_consistency(6, 8, old_root, old_root, proof));  // wrong new root
    EXPECT_FALSE(merkle::verify_consistency(5, 8, old_root, new_root, proof));  // wrong old size
    EXPECT_FALSE(merkle::verify_consistency(8, 6, new_root, old_root, proof));  // shrinking
    EXPECT_FALSE(merkle::verify_consistency(6, 8, old_root, new_root, {}));     // empty
    auto shorter = proof;
    shorter.pop_back();
    EXPECT_FALSE(merkle::verify_consistency(6, 8, old_root, new_root, shorter));
    auto longer = proof;
    longer.push_back(proof.front());
    EXPECT_FALSE(merkle::verify_consistency(6, 8, old_root, new_root, longer));
    proof[0][5] ^= 0x40;
    EXPECT_FALSE(merkle::verify_consistency(6, 8, old_root, new_root, proof));
}
