#include <functional>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <exam/precheck/sntp.hpp>

#include "support/sntp_responder.hpp"

using namespace std::chrono;

namespace {

// A server reply to `request`: server clock = client clock + `skew`, answering instantly.
exam::NtpPacket reply_to(const exam::NtpPacket& request, system_clock::time_point now,
                         milliseconds skew) {
    exam::NtpPacket reply = exam::testing::good_sntp_reply(request, now + skew);
    reply[1] = 2;  // stratum
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

// Code acts on the typed reason; the words are for people, and translated.
TEST(Sntp, EachProblemHasItsTypedReason) {
    const auto sent = system_clock::now();
    const auto request = exam::make_sntp_request(sent);
    const auto reply = reply_to(request, sent, milliseconds{0});
    EXPECT_EQ(exam::read_sntp_reply(reply, request, sent).reason, exam::SntpProblem::none);

    auto kiss_of_death = reply;
    kiss_of_death[1] = 0;
    EXPECT_EQ(exam::read_sntp_reply(kiss_of_death, request, sent).reason,
              exam::SntpProblem::refused);
    auto unsynchronised = reply;
    unsynchronised[1] = 16;
    EXPECT_EQ(exam::read_sntp_reply(unsynchronised, request, sent).reason,
              exam::SntpProblem::unsynchronised);
    auto client_mode = reply;
    client_mode[0] = (4 << 3) | 3;
    EXPECT_EQ(exam::read_sntp_reply(client_mode, request, sent).reason,
              exam::SntpProblem::malformed);
    EXPECT_EQ(exam::read_sntp_reply(std::span{reply}.first(40), request, sent).reason,
              exam::SntpProblem::malformed);
    auto someone_else = reply;
    someone_else[31] ^= 0xff;
    EXPECT_EQ(exam::read_sntp_reply(someone_else, request, sent).reason,
              exam::SntpProblem::not_our_answer);
}

TEST(Sntp, AStrayReplyToSomeoneElsesRequestIsPassedOverForTheAnswer) {
    const int server = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t length = sizeof address;
    ::getsockname(server, reinterpret_cast<sockaddr*>(&address), &length);
    std::thread answering([&] {
        exam::NtpPacket request{};
        sockaddr_in from{};
        socklen_t from_length = sizeof from;
        if (::recvfrom(server, request.data(), request.size(), 0,
                       reinterpret_cast<sockaddr*>(&from), &from_length) != 48) {
            return;
        }
        auto stray = reply_to(request, system_clock::now(), milliseconds{0});
        stray[31] ^= 0xff;  // answers another request
        auto answer = reply_to(request, system_clock::now(), milliseconds{0});
        for (const auto* packet : {&stray, &answer}) {
            ::sendto(server, packet->data(), packet->size(), 0, reinterpret_cast<sockaddr*>(&from),
                     from_length);
        }
    });
    const auto outcome =
        exam::query_sntp("127.0.0.1:" + std::to_string(ntohs(address.sin_port)), seconds{5});
    answering.join();
    ::close(server);
    EXPECT_TRUE(outcome.measurement.has_value()) << outcome.problem;
}

namespace {

struct DamagedReply {
    const char* what;
    std::function<void(exam::NtpPacket&)> damage;
    exam::SntpProblem reason;
};

}  // namespace

// RFC 4330 section 5: each reply here would once have given a clock offset (several of them a
// pass); each is refused with its reason instead.
TEST(Sntp, RefusesWhatRfc4330SaysToDiscard) {
    using exam::testing::get_u64;
    using exam::testing::put_u32;
    using exam::testing::put_u64;
    constexpr std::uint64_t k_half_hour = std::uint64_t{1800} << 32;
    const std::vector<DamagedReply> replies{
        {"version 0", [](auto& r) { r[0] = (0 << 3) | 4; }, exam::SntpProblem::malformed},
        {"version 7", [](auto& r) { r[0] = (7 << 3) | 4; }, exam::SntpProblem::malformed},
        {"version 2", [](auto& r) { r[0] = (2 << 3) | 4; }, exam::SntpProblem::malformed},
        {"root dispersion 0xFFFFFFFF", [](auto& r) { put_u32(r, 8, 0xFFFFFFFF); },
         exam::SntpProblem::unsynchronised},
        {"root dispersion of a second", [](auto& r) { put_u32(r, 8, 0x00010000); },
         exam::SntpProblem::unsynchronised},
        {"negative root delay", [](auto& r) { put_u32(r, 4, 0xFFFF0000); },
         exam::SntpProblem::unsynchronised},
        {"root delay of two seconds", [](auto& r) { put_u32(r, 4, 0x00020000); },
         exam::SntpProblem::unsynchronised},
        {"reference time 0", [](auto& r) { put_u64(r, 16, 0); }, exam::SntpProblem::unsynchronised},
        {"transmit time 0", [](auto& r) { put_u64(r, 40, 0); }, exam::SntpProblem::implausible},
        {"receive time 0", [](auto& r) { put_u64(r, 32, 0); }, exam::SntpProblem::implausible},
        // Received half an hour before, sent half an hour after: the offset would come out 0.
        {"transmit an hour after receive",
         [](auto& r) {
             put_u64(r, 32, get_u64(r, 32) - k_half_hour);
             put_u64(r, 40, get_u64(r, 40) + k_half_hour);
         },
         exam::SntpProblem::implausible},
        {"transmit before receive", [](auto& r) { put_u64(r, 40, get_u64(r, 32) - k_half_hour); },
         exam::SntpProblem::implausible},
    };
    const auto sent = system_clock::now();
    const auto request = exam::make_sntp_request(sent);
    for (const DamagedReply& damaged : replies) {
        SCOPED_TRACE(damaged.what);
        auto reply = reply_to(request, sent + milliseconds{5}, milliseconds{0});
        ASSERT_TRUE(exam::read_sntp_reply(reply, request, sent + milliseconds{10}).measurement);
        damaged.damage(reply);
        const auto outcome = exam::read_sntp_reply(reply, request, sent + milliseconds{10});
        EXPECT_FALSE(outcome.measurement.has_value());
        EXPECT_EQ(outcome.reason, damaged.reason) << outcome.problem;
        EXPECT_FALSE(outcome.problem.empty());
    }
}

TEST(Sntp, AcceptsVersion3AndAServersOwnProcessingTime) {
    const auto sent = system_clock::now();
    const auto request = exam::make_sntp_request(sent);
    auto reply = reply_to(request, sent + milliseconds{5}, milliseconds{0});
    reply[0] = (3 << 3) | 4;
    // Received at +5 ms, sent at +8 ms, back with us at +10 ms.
    exam::testing::put_u64(reply, 40, exam::to_ntp_timestamp(sent + milliseconds{8}));
    const auto outcome = exam::read_sntp_reply(reply, request, sent + milliseconds{10});
    ASSERT_TRUE(outcome.measurement.has_value()) << outcome.problem;
    EXPECT_NEAR(static_cast<double>(outcome.measurement->delay.count()), 7000.0, 5.0);
}
