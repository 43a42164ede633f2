// The text of RTSP: addresses, replies and logging in, against hand-written exchanges and
// answers computed independently (Python's hashlib for the digest).
#include "recording/rtsp_message.hpp"
#include <limits>

#include <gtest/gtest.h>

#include "recording/camera_limits.hpp"

namespace {

using namespace std::chrono_literals;

TEST(RtspAddress, CredentialsAreTakenOutOfTheUrlThatRequestsCarry) {
    const auto address = exam::parse_rtsp_address("rtsp://admin:p%40ss@10.0.0.5/Streaming/101");
    ASSERT_TRUE(address);
    EXPECT_EQ(address->host, "10.0.0.5");
    EXPECT_EQ(address->port, "554");
    EXPECT_EQ(address->user, "admin");
    EXPECT_EQ(address->password, "p@ss");
    EXPECT_EQ(address->url, "rtsp://10.0.0.5:554/Streaming/101");
}

TEST(RtspAddress, PortsAndIpv6AreRead) {
    const auto address = exam::parse_rtsp_address("rtsp://[::1]:8554/front");
    ASSERT_TRUE(address);
    EXPECT_EQ(address->host, "::1");
    EXPECT_EQ(address->port, "8554");
    EXPECT_EQ(address->url, "rtsp://[::1]:8554/front");
    EXPECT_TRUE(exam::parse_rtsp_address("rtsp://camera.local"));
}

TEST(RtspAddress, WhatIsNotAnRtspAddressIsRefused) {
    EXPECT_FALSE(exam::parse_rtsp_address("http://10.0.0.5/"));
    EXPECT_FALSE(exam::parse_rtsp_address("rtsp://"));
    EXPECT_FALSE(exam::parse_rtsp_address("rtsp://host:port/"));
    EXPECT_FALSE(exam::parse_rtsp_address("rtsp://[::1/"));
}

TEST(RtspReply, LengthWaitsForTheWholeHeadAndBody) {
    const std::string reply =
        "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\n"
        "Content-Length: 5\r\n\r\nv=0\r\n$\x00\x00\x04";
    EXPECT_FALSE(exam::rtsp_reply_length(reply.substr(0, 20)));
    EXPECT_FALSE(exam::rtsp_reply_length(reply.substr(0, reply.find("v=0") + 2)));
    EXPECT_EQ(exam::rtsp_reply_length(reply), reply.find('$'));
    EXPECT_THROW((void)exam::rtsp_reply_length("HTTP/1.1 200 OK\r\n"), std::invalid_argument);
}

TEST(RtspReply, BareLineFeedsAndWrongLengthsAreHandled) {
    const std::string bare = "RTSP/1.0 200 OK\nCSeq: 4\nContent-Length: 3\n\nabc$";
    EXPECT_EQ(exam::rtsp_reply_length(bare), bare.size() - 1);
    const auto reply = exam::parse_rtsp_reply(bare.substr(0, bare.size() - 1));
    EXPECT_EQ(reply.header("cseq"), "4");
    EXPECT_EQ(reply.body, "abc");
    EXPECT_THROW((void)exam::rtsp_reply_length("RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n"),
                 std::invalid_argument);
    EXPECT_THROW(
        (void)exam::rtsp_reply_length("RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n"),
        exam::RtspReplyTooLong);
    EXPECT_THROW((void)exam::rtsp_reply_length("RTSP/1.0 200 OK\r\nX: " + std::string(20000, 'x')),
                 exam::RtspReplyTooLong)
        << "a head that never ends";
}

TEST(RtspReply, ALengthPastEveryIntegerIsTooLongNotUndefined) {
    EXPECT_THROW((void)exam::rtsp_reply_length(
                     "RTSP/1.0 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
                 exam::RtspReplyTooLong);
    EXPECT_THROW((void)exam::rtsp_reply_length("RTSP/1.0 200 OK\r\nContent-Length: 12abc\r\n\r\n"),
                 std::invalid_argument);
    // A head that ends only after the limit is as long as one that never ends.
    EXPECT_THROW((void)exam::rtsp_reply_length("RTSP/1.0 200 OK\r\nX: " + std::string(20000, 'x') +
                                               "\r\n\r\n"),
                 exam::RtspReplyTooLong);
}

TEST(RtspReply, AStatusIsThreeDigitsFrom100To599) {
    EXPECT_EQ(exam::parse_rtsp_reply("RTSP/1.0 454\r\n\r\n").status, 454);
    for (const char* line : {"RTSP/1.0 abc OK", "RTSP/1.0 -20 OK", "RTSP/1.0 99999999999 OK",
                             "RTSP/1.0 099 OK", "RTSP/1.0 600 OK", "RTSP/1.0 20 OK"}) {
        EXPECT_THROW((void)exam::parse_rtsp_reply(std::string{line} + "\r\n\r\n"),
                     std::invalid_argument)
            << line;
    }
}

TEST(RtspReply, StatusHeadersAndBodyAreRead) {
    const auto reply = exam::parse_rtsp_reply(
        "RTSP/1.0 401 Unauthorized\r\nCSeq: 3\r\nWWW-Authenticate: Basic realm=\"x\"\r\n"
        "WWW-Authenticate: Digest realm=\"x\", nonce=\"n\"\r\n\r\n");
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(reply.reason, "Unauthorized");
    EXPECT_EQ(reply.header("cseq"), "3");
    EXPECT_EQ(reply.headers.count("www-authenticate"), 2u);
    EXPECT_EQ(reply.header("session"), "");
}

TEST(RtspSession, IdAndTimeoutAreRead) {
    const auto session = exam::parse_session_header("4a3f9b2c;timeout=30");
    EXPECT_EQ(session.id, "4a3f9b2c");
    EXPECT_EQ(session.timeout, 30s);
    EXPECT_EQ(exam::parse_session_header("abc").timeout, 60s);
    EXPECT_EQ(exam::parse_session_header("abc;timeout=20;x=1").timeout, 20s);
}

// Issue 11 item 1: any timeout above 4294967 s overflowed the keep-alive's int arithmetic.
TEST(RtspSession, AHugeOrNonsenseTimeoutIsHeldWithinItsBounds) {
    EXPECT_EQ(exam::parse_session_header("42;timeout=5000000").timeout, 3600s);
    EXPECT_EQ(exam::parse_session_header("42;timeout=18446744073709551615").timeout, 3600s);
    for (const char* nonsense : {"42;timeout=99999999999999999999999", "42;timeout=-5",
                                 "42;timeout=0", "42;timeout=", "42;timeout=1e9"}) {
        EXPECT_EQ(exam::parse_session_header(nonsense).timeout, 60s) << nonsense;
    }
}

TEST(CameraNumber, OnlyDigitsThatFitAreANumber) {
    EXPECT_EQ(exam::parse_camera_number<int>("96"), 96);
    EXPECT_EQ(exam::parse_camera_number<std::uint64_t>("18446744073709551615"),
              std::numeric_limits<std::uint64_t>::max());
    for (const char* nonsense : {"", "-1", "+1", " 1", "1 ", "1x", "0x10", "2147483648"}) {
        EXPECT_FALSE(exam::parse_camera_number<int>(nonsense)) << nonsense;
    }
}

exam::RtspReply challenge(const std::string& headers) {
    return exam::parse_rtsp_reply("RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n" + headers + "\r\n");
}

TEST(RtspAuthenticator, DigestIsPreferredAndAnsweredAsRfc2617Says) {
    exam::RtspAuthenticator authenticator{"admin", "s3cret"};
    EXPECT_EQ(authenticator.authorization("DESCRIBE", "rtsp://10.0.0.5:554/stream1"), "");
    ASSERT_TRUE(
        authenticator.accept_challenge(challenge("WWW-Authenticate: Basic realm=\"IP Camera\"\r\n"
                                                 "WWW-Authenticate: Digest realm=\"IP Camera\", "
                                                 "nonce=\"abc123nonce\", stale=\"FALSE\"\r\n")));
    EXPECT_EQ(authenticator.authorization("DESCRIBE", "rtsp://10.0.0.5:554/stream1"),
              "Digest username=\"admin\", realm=\"IP Camera\", nonce=\"abc123nonce\", "
              "uri=\"rtsp://10.0.0.5:554/stream1\", "
              "response=\"17a86b0c1bae28fa6417a921181dabf4\"");
}

TEST(RtspAuthenticator, BasicWhenThatIsAllTheCameraOffers) {
    exam::RtspAuthenticator authenticator{"admin", "s3cret"};
    ASSERT_TRUE(authenticator.accept_challenge(
        challenge("WWW-Authenticate: Basic realm=\"IP Camera\"\r\n")));
    EXPECT_EQ(authenticator.authorization("PLAY", "rtsp://x/"), "Basic YWRtaW46czNjcmV0");
}

TEST(RtspAuthenticator, DigestWithQopCountsItsNonces) {
    exam::RtspAuthenticator authenticator{"admin", "s3cret"};
    ASSERT_TRUE(authenticator.accept_challenge(
        challenge("WWW-Authenticate: Digest realm=\"r\", nonce=\"n\", qop=\"auth\", "
                  "opaque=\"o\"\r\n")));
    const std::string first = authenticator.authorization("SETUP", "rtsp://x/");
    const std::string second = authenticator.authorization("PLAY", "rtsp://x/");
    EXPECT_NE(first.find("qop=auth, nc=00000001, cnonce=\""), std::string::npos) << first;
    EXPECT_NE(second.find("nc=00000002"), std::string::npos) << second;
    EXPECT_NE(first.find("opaque=\"o\""), std::string::npos) << first;
}

TEST(RtspAuthenticator, NoCredentialsOrAnUnknownSchemeCannotAnswer) {
    exam::RtspAuthenticator anonymous{"", ""};
    EXPECT_FALSE(anonymous.accept_challenge(challenge("WWW-Authenticate: Basic realm=\"r\"\r\n")));
    exam::RtspAuthenticator authenticator{"admin", "s3cret"};
    EXPECT_FALSE(authenticator.accept_challenge(
        challenge("WWW-Authenticate: Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256\r\n")));
    EXPECT_FALSE(authenticator.accept_challenge(challenge("WWW-Authenticate: Bearer x\r\n")));
}

}  // namespace
