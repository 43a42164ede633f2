// Checkpoints of the journal in the C2SP tlog-checkpoint form: a signed note whose text is
// the origin (naming the region and PPE code), the tree size and the base64 root hash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <exam/core/signing.hpp>
#include <exam/export.hpp>
#include <exam/journal/merkle.hpp>

namespace exam {

struct Checkpoint {
    std::string origin;
    std::uint64_t tree_size = 0;
    merkle::Hash root_hash{};
};

// "examkit/ppe/<region>/<ppe>": the origin line and the name of the exam point's key.
EXAM_EXPORT std::string journal_origin(std::string_view region, std::string_view ppe);

EXAM_EXPORT std::string checkpoint_text(const Checkpoint& checkpoint);
// nullopt when the text is not exactly the three checkpoint lines.
EXAM_EXPORT std::optional<Checkpoint> parse_checkpoint_text(std::string_view text);

// The checkpoint in a note signed by `key`; nullopt for a bad signature or a malformed note.
EXAM_EXPORT std::optional<Checkpoint> open_checkpoint(std::string_view note,
                                                      const VerifierKey& key);

}  // namespace exam
