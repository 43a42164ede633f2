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
#include <exam/util/error.hpp>

namespace exam {

// A checkpoint taken from paper by its size and root alone: no signature to check.
struct PaperCheckpoint {
    std::uint64_t tree_size = 0;
    merkle::Hash root_hash{};
};

struct VerifyOptions {
    // The key to trust, given by the auditor (--public-key).
    std::optional<VerifierKey> public_key;
    // The exam point's own key (site_public_key), used when no key is given and it is the key
    // of the journal's origin. Without either, the key stored in the journal itself is used,
    // which proves integrity but not who signed (the report says so).
    std::optional<VerifierKey> site_key;
    std::string site_key_problem;  // why there is no site key, when a site file was at hand
    // A signed checkpoint kept outside the journal (on a protocol, in an export package), as
    // copied: note_from_copy lays it out again.
    std::optional<std::string> external_checkpoint;
    std::optional<PaperCheckpoint> paper_checkpoint;
};

enum class KeySource { option, site, journal };

struct VerifyReport {
    bool ok = true;
    std::uint64_t entries = 0;
    std::uint64_t checkpoints = 0;
    std::uint64_t unsigned_tail = 0;  // entries after the latest checkpoint (a crash, say)
    std::string key_used;
    std::string fingerprint;  // of key_used
    KeySource key_source = KeySource::journal;
    bool key_from_journal = false;         // the origin is not proven
    std::optional<PaperCheckpoint> paper;  // checked against the journal, when given
    std::string why_no_own_key;  // the origin is not proven: why the exam point's key was not used
    std::optional<std::uint64_t> failed_entry;
    std::optional<std::uint64_t> failed_checkpoint;  // its tree size
    std::string problem;                             // the first failure, for people
    std::vector<std::string> notes;                  // what was checked, beyond the counts
    std::vector<std::string> unchecked;  // what the journal holds that nothing could check
};

// Besides the signed entries and checkpoints, the file's unsigned parts are checked for
// consistency with them: SQLite's integrity check, the schema, the meta records, the tree state,
// who is inside, names' lookup keys and each checkpoint's time; what cannot be checked is
// listed in `unchecked`. Throws InputError when the outside checkpoint is no signed note at all
// (three lines without a signature: the command that checks its size and root is named), and
// StorageError when SQLite finds the file damaged.
EXAM_EXPORT VerifyReport verify_journal(Journal& journal, const VerifyOptions& options);

// 2 when the journal failed; 3 when it is intact but only the key it carries vouches for it
// (the origin is not proven); 0 otherwise.
EXAM_EXPORT ExitCode verify_exit_code(const VerifyReport& report);

// The exam point's own public key, derived from the signing key in the site's keys folder;
// nullopt with `why` set when the folder has none or it cannot be read.
EXAM_EXPORT std::optional<VerifierKey> site_public_key(const Site& site, std::string& why);

EXAM_EXPORT std::string_view to_string(KeySource source);

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
