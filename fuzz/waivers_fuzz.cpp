// The waiver file (docs/check-suite.md, "Waivers"), against the checks of a site with two
// cameras, as `exam-precheck run --waivers` reads it.
#include <exam/precheck/waivers.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const exam::TimeZone zone = *exam::TimeZone::find("Europe/Moscow");
    static const std::vector<exam::CheckSpec> checks = [] {
        std::vector<exam::CheckSpec> specs(3);
        specs[0].id = "printer";
        specs[1].id = "cameras:0101-front";
        specs[2].id = "cameras:0101-back";
        return specs;
    }();
    exam::fuzz::refusals_are_typed([&] {
        (void)exam::parse_waivers(exam::fuzz::text_of(data, size), "/fuzz/waivers.toml", zone,
                                  checks);
    });
    return 0;
}
