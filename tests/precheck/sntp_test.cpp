#include <gtest/gtest.h>

#include <exam/precheck/sntp.hpp>

using namespace std::chrono;

namespace {

// A server reply to `request`: server clock = client clock + `skew`, answering instantly.
exam::NtpPacket reply_to(const exam::NtpPacket& request, system_clock::time_point now,
                         milliseconds skew) {
    exam::NtpPacket reply{};
    reply[0] = (0 << 6) | (4 << 3) | 4;                                         // server mode
    reply[1] = 2;                                                               // stratum
    std::copy(request.begin() + 40, request.begin() + 48, reply.begin() + 24);  // originate
    const auto server_time = exam::to_ntp_timestamp(now + skew);
    for (std::size_t i = 0; i < 8; ++i) {
        reply[32 + 7 - i] = static_cast<std::uint8_t>(server_time >> (8 * i));
        reply[40 + 7 - i] = static_cast<std::uint8_t>(server_time >> (8 * i));
    }
    return reply;
}

}  // namespace

TEST(Sntp, TimestampsRoundTripToTheMicrosecond) {
    const auto now = system_clock::now();
    const auto back = exam::from_ntp_timestamp(exam::to_ntp_timestamp(now));
    EXPECT_LT(abs(duration_cast<microseconds>(back - now)), microseconds{2});
}

TEST(Sntp, ComputesTheOffsetFromTheFourTimestamps) {
    const auto sent = system_clock::now();
    const auto request = exam::make_sntp_request(sent);
    const auto reply = reply_to(request, sent + milliseconds{10}, milliseconds{3000});
    // Sent at 0, served at +10 ms (server says +3010), received at +20 ms.
    const auto outcome = exam::read_sntp_reply(reply, request, sent + milliseconds{20});
    ASSERT_TRUE(outcome.measurement.has_value()) << outcome.problem;
    EXPECT_NEAR(static_cast<double>(outcome.measurement->offset.count()), 3000000.0, 5.0);
    EXPECT_NEAR(static_cast<double>(outcome.measurement->delay.count()), 20000.0, 5.0);
    EXPECT_EQ(outcome.measurement->stratum, 2);
}

TEST(Sntp, RefusesRepliesThatAreNotAnswersToUs) {
    const auto sent = system_clock::now();
    const auto request = exam::make_sntp_request(sent);
    auto reply = reply_to(request, sent, milliseconds{0});

    auto kiss_of_death = reply;
    kiss_of_death[1] = 0;
    EXPECT_NE(exam::read_sntp_reply(kiss_of_death, request, sent).problem.find("kiss-of-death"),
              std::string::npos);

    auto unsynchronised = reply;
    unsynchronised[0] = static_cast<std::uint8_t>((3 << 6) | (4 << 3) | 4);
    EXPECT_NE(exam::read_sntp_reply(unsynchronised, request, sent).problem.find("not synchronised"),
              std::string::npos);

    auto client_mode = reply;
    client_mode[0] = (4 << 3) | 3;
    EXPECT_FALSE(exam::read_sntp_reply(client_mode, request, sent).measurement.has_value());

    auto someone_else = reply;
    someone_else[31] ^= 0xff;
    EXPECT_NE(exam::read_sntp_reply(someone_else, request, sent).problem.find("originate"),
              std::string::npos);

    EXPECT_FALSE(
        exam::read_sntp_reply(std::span{reply}.first(40), request, sent).measurement.has_value());
}
