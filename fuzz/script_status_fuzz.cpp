// A check script's standard output: its last line may be a JSON status (docs/check-scripts.md).
#include <exam/precheck/script_report.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exam::fuzz::refusals_are_typed(
        [&] { (void)exam::read_script_report(exam::fuzz::text_of(data, size)); });
    return 0;
}
