// Auditing a journal: every leaf recomputed from its stored fields, the RFC 6962 tree rebuilt,
// every checkpoint's root and signature checked, and, given a checkpoint kept outside the
// journal, proof that the journal still holds everything it covered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <exam/core/signing.hpp>
#include <exam/export.hpp>
#include <exam/journal/journal.hpp>

namespace exam {

struct VerifyOptions {
    // The key to trust; without one, the key stored in the journal itself is used, which
    // proves integrity but not who signed (the report says so).
    std::optional<VerifierKey> public_key;
    // A signed checkpoint kept outside the journal (on a protocol, in an export package).
    std::optional<std::string> external_checkpoint;
};

struct VerifyReport {
    bool ok = true;
    std::uint64_t entries = 0;
    std::uint64_t checkpoints = 0;
    std::uint64_t unsigned_tail = 0;  // entries after the latest checkpoint (a crash, say)
    std::string key_used;
    bool key_from_journal = false;
    std::optional<std::uint64_t> failed_entry;
    std::optional<std::uint64_t> failed_checkpoint;  // its tree size
    std::string problem;                             // the first failure, for people
    std::vector<std::string> notes;                  // what was checked, beyond the counts
};

EXAM_EXPORT VerifyReport verify_journal(Journal& journal, const VerifyOptions& options);

// The inclusion proof of entry `seq` in the tree of the latest checkpoint.
struct InclusionProof {
    std::uint64_t index = 0;
    std::uint64_t tree_size = 0;
    merkle::Hash leaf_hash{};
    std::vector<merkle::Hash> proof;
    merkle::Hash root_hash{};
};

// Throws InputError when the entry does not exist or no checkpoint covers it yet.
EXAM_EXPORT InclusionProof prove_inclusion(Journal& journal, std::uint64_t seq);

}  // namespace exam
