#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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
