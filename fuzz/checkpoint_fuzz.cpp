// A signed checkpoint note (docs/journal-format.md): as stored, and as a person copied it from
// a protocol's paper (note_from_copy). Besides not crashing, a checkpoint text that parses must
// survive being signed and opened again unchanged.
#include <cstdlib>

#include <exam/core/signing.hpp>
#include <exam/journal/checkpoint.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const exam::SigningKey key = exam::SigningKey::generate("examkit/ppe/01/0042");
    static const exam::VerifierKey verifier = key.verifier();
    const std::string_view text = exam::fuzz::text_of(data, size);
    exam::fuzz::refusals_are_typed([&] {
        (void)exam::open_checkpoint(text, verifier);
        const std::string laid_out = exam::note_from_copy(text);
        (void)exam::note_has_signature(laid_out);
        (void)exam::open_checkpoint(laid_out, verifier);
    });
    exam::fuzz::refusals_are_typed([&] {
        const auto parsed = exam::parse_checkpoint_text(text);
        if (!parsed || text.empty() || text.back() != '\n') {
            return;
        }
        const auto reopened = exam::open_checkpoint(exam::sign_note(text, key), verifier);
        if (!reopened || reopened->origin != parsed->origin ||
            reopened->tree_size != parsed->tree_size || reopened->root_hash != parsed->root_hash) {
            std::fprintf(stderr, "fuzz: a checkpoint did not survive signing and opening\n");
            std::abort();
        }
    });
    return 0;
}
