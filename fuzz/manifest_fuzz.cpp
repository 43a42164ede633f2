// An export package's manifest.json (docs/export-format.md).
#include <exam/archive/manifest.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exam::fuzz::refusals_are_typed([&] {
        (void)exam::parse_manifest(exam::fuzz::text_of(data, size), "/fuzz/manifest.json");
    });
    return 0;
}
