// The check suite (docs/check-suite.md).
#include <exam/precheck/suite.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exam::fuzz::refusals_are_typed(
        [&] { (void)exam::parse_suite(exam::fuzz::text_of(data, size), "/fuzz/suite.toml"); });
    return 0;
}
