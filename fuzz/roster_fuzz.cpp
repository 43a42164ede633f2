// The staff roster (docs/journal-format.md, "Roster"): bytes in whatever encoding the
// spreadsheet saved them, then the CSV's rows, as `exam-journal roster import` reads them.
#include <exam/core/site_loader.hpp>
#include <exam/journal/roster.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const exam::Site site = exam::parse_site(R"(ppe_code = "0042"
region = "01"
name = "fuzz"
timezone = "Europe/Moscow"
[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "3h"
)",
                                                    "/fuzz/site.toml");
    exam::fuzz::refusals_are_typed([&] {
        const exam::DecodedText text =
            exam::decode_roster(exam::fuzz::text_of(data, size), "/fuzz/staff.csv");
        (void)exam::parse_roster(text.utf8, "/fuzz/staff.csv", site);
    });
    return 0;
}
