// A time server's SNTP reply (RFC 4330), as the clock check reads it.
#include <exam/precheck/sntp.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto sent = std::chrono::system_clock::time_point{std::chrono::seconds{1'790'000'000}};
    const exam::NtpPacket request = exam::make_sntp_request(sent);
    exam::fuzz::refusals_are_typed([&] {
        (void)exam::read_sntp_reply({data, size}, request, sent + std::chrono::milliseconds{20});
    });
    return 0;
}
