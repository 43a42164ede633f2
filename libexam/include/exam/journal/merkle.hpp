// RFC 6962 (Certificate Transparency) Merkle tree hashing over SHA-256: leaf hashes with a 0x00
// prefix, node hashes with 0x01, the tree head of any prefix of the leaves, and inclusion and
// consistency proofs with their verification (RFC 9162 section 2.1.3 and 2.1.4).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <exam/export.hpp>
#include <exam/util/sha256.hpp>

namespace exam::merkle {

using Hash = Sha256Digest;

EXAM_EXPORT Hash leaf_hash(std::string_view leaf_bytes);
EXAM_EXPORT Hash node_hash(const Hash& left, const Hash& right);
// The hash of an empty tree: SHA-256 of nothing.
EXAM_EXPORT Hash empty_root();

// MTH of the given leaf hashes.
EXAM_EXPORT Hash root(std::span<const Hash> leaves);

// The roots of the perfect subtrees that make up a tree of any size, largest first: enough
// to append a leaf and get the new root in O(log n) without reading the old leaves.
class EXAM_EXPORT CompactRange {
public:
    CompactRange() = default;
    CompactRange(std::uint64_t size, std::vector<Hash> peaks);

    void append(const Hash& leaf);
    [[nodiscard]] Hash root() const;
    [[nodiscard]] std::uint64_t size() const { return m_size; }
    [[nodiscard]] const std::vector<Hash>& peaks() const { return m_peaks; }

private:
    std::uint64_t m_size = 0;
    std::vector<Hash> m_peaks;
};

// PATH(index, D[size]) over the first `size` of `leaves`.
EXAM_EXPORT std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, std::uint64_t index,
                                              std::uint64_t size);
// PROOF(old_size, D[new_size]).
EXAM_EXPORT std::vector<Hash> consistency_proof(std::span<const Hash> leaves,
                                                std::uint64_t old_size, std::uint64_t new_size);

// False for a wrong or malformed proof (too short, too long, index out of range).
EXAM_EXPORT bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                                  std::span<const Hash> proof, const Hash& root);
EXAM_EXPORT bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size,
                                    const Hash& old_root, const Hash& new_root,
                                    std::span<const Hash> proof);

}  // namespace exam::merkle
