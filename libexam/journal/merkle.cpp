#include <bit>

#include <exam/journal/merkle.hpp>
#include <exam/util/error.hpp>

namespace exam::merkle {
namespace {

// The largest power of two smaller than n (n > 1): RFC 6962's split point k.
std::uint64_t split(std::uint64_t n) {
    return std::bit_floor(n - 1);
}

Hash subtree_root(std::span<const Hash> leaves) {
    if (leaves.size() == 1) {
        return leaves[0];
    }
    const std::uint64_t k = split(leaves.size());
    return node_hash(subtree_root(leaves.first(k)), subtree_root(leaves.subspan(k)));
}

void path(std::span<const Hash> leaves, std::uint64_t m, std::vector<Hash>& out) {
    const std::uint64_t n = leaves.size();
    if (n <= 1) {
        return;
    }
    const std::uint64_t k = split(n);
    if (m < k) {
        path(leaves.first(k), m, out);
        out.push_back(subtree_root(leaves.subspan(k)));
    } else {
        path(leaves.subspan(k), m - k, out);
        out.push_back(subtree_root(leaves.first(k)));
    }
}

void subproof(std::span<const Hash> leaves, std::uint64_t m, bool complete,
              std::vector<Hash>& out) {
    const std::uint64_t n = leaves.size();
    if (m == n) {
        if (!complete) {
            out.push_back(subtree_root(leaves));
        }
        return;
    }
    const std::uint64_t k = split(n);
    if (m <= k) {
        subproof(leaves.first(k), m, complete, out);
        out.push_back(subtree_root(leaves.subspan(k)));
    } else {
        subproof(leaves.subspan(k), m - k, false, out);
        out.push_back(subtree_root(leaves.first(k)));
    }
}

void check_range(std::span<const Hash> leaves, std::uint64_t size) {
    if (size > leaves.size()) {
        throw InternalError("Merkle proof asked for a tree larger than the leaves given");
    }
}

}  // namespace

// One hashing context per thread, reused: a fresh OpenSSL context per leaf cost more than
// the hashing itself.
Sha256& reusable_hash() {
    thread_local Sha256 hash;
    return hash;
}

Hash leaf_hash(std::string_view leaf_bytes) {
    Sha256& hash = reusable_hash();
    hash.update(std::string_view{"\x00", 1});
    hash.update(leaf_bytes);
    return hash.finish();
}

Hash node_hash(const Hash& left, const Hash& right) {
    Sha256& hash = reusable_hash();
    const char prefix = '\x01';
    hash.update(std::string_view{&prefix, 1});
    hash.update(std::as_bytes(std::span{left}));
    hash.update(std::as_bytes(std::span{right}));
    return hash.finish();
}

Hash empty_root() {
    return sha256("");
}

Hash root(std::span<const Hash> leaves) {
    return leaves.empty() ? empty_root() : subtree_root(leaves);
}

CompactRange::CompactRange(std::uint64_t size, std::vector<Hash> peaks)
    : m_size(size), m_peaks(std::move(peaks)) {
    if (static_cast<std::uint64_t>(std::popcount(size)) != m_peaks.size()) {
        throw InternalError("a compact range of size " + std::to_string(size) + " needs " +
                            std::to_string(std::popcount(size)) + " peaks, not " +
                            std::to_string(m_peaks.size()));
    }
}

void CompactRange::append(const Hash& leaf) {
    // Each trailing one bit of the old size is a peak of equal height to merge with.
    Hash carry = leaf;
    for (std::uint64_t size = m_size; size & 1; size >>= 1) {
        carry = node_hash(m_peaks.back(), carry);
        m_peaks.pop_back();
    }
    m_peaks.push_back(carry);
    ++m_size;
}

Hash CompactRange::root() const {
    if (m_peaks.empty()) {
        return empty_root();
    }
    Hash result = m_peaks.back();
    for (auto it = m_peaks.rbegin() + 1; it != m_peaks.rend(); ++it) {
        result = node_hash(*it, result);
    }
    return result;
}

std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, std::uint64_t index,
                                  std::uint64_t size) {
    check_range(leaves, size);
    if (index >= size) {
        throw InternalError("inclusion proof asked for a leaf outside the tree");
    }
    std::vector<Hash> proof;
    path(leaves.first(size), index, proof);
    return proof;
}

std::vector<Hash> consistency_proof(std::span<const Hash> leaves, std::uint64_t old_size,
                                    std::uint64_t new_size) {
    check_range(leaves, new_size);
    if (old_size > new_size) {
        throw InternalError("consistency proof asked from a larger tree to a smaller one");
    }
    std::vector<Hash> proof;
    if (old_size == 0 || old_size == new_size) {
        return proof;
    }
    subproof(leaves.first(new_size), old_size, true, proof);
    return proof;
}

bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                      std::span<const Hash> proof, const Hash& root_hash) {
    if (index >= size) {
        return false;
    }
    std::uint64_t fn = index;
    std::uint64_t sn = size - 1;
    Hash r = leaf;
    for (const Hash& p : proof) {
        if (sn == 0) {
            return false;  // proof longer than the path
        }
        if ((fn & 1) || fn == sn) {
            r = node_hash(p, r);
            if (!(fn & 1)) {
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root_hash;
}

bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                        const Hash& new_root, std::span<const Hash> proof) {
    if (old_size > new_size) {
        return false;
    }
    if (old_size == new_size) {
        return proof.empty() && old_root == new_root;
    }
    if (old_size == 0) {
        return proof.empty();
    }
    if (proof.empty()) {
        return false;
    }
    // RFC 9162 2.1.4.2: when old_size is a power of two, old_root is the first node.
    std::vector<Hash> path_hashes;
    if (std::has_single_bit(old_size)) {
        path_hashes.push_back(old_root);
    }
    path_hashes.insert(path_hashes.end(), proof.begin(), proof.end());
    std::uint64_t fn = old_size - 1;
    std::uint64_t sn = new_size - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    Hash fr = path_hashes[0];
    Hash sr = path_hashes[0];
    for (std::size_t i = 1; i < path_hashes.size(); ++i) {
        const Hash& c = path_hashes[i];
        if (sn == 0) {
            return false;
        }
        if ((fn & 1) || fn == sn) {
            fr = node_hash(c, fr);
            sr = node_hash(c, sr);
            if (!(fn & 1)) {
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node_hash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace exam::merkle
