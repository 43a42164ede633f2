// The site file (docs/site-file.md): TOML, then every key's meaning.
#include <exam/core/site_loader.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exam::fuzz::refusals_are_typed(
        [&] { (void)exam::parse_site(exam::fuzz::text_of(data, size), "/fuzz/site.toml"); });
    return 0;
}
