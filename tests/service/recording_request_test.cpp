#include <gtest/gtest.h>

#include <exam/service/recording_request.hpp>
#include <exam/util/error.hpp>

TEST(RecordingRequest, TheHeartbeatComesEveryMinuteOnATerminalOnly) {
    using namespace std::chrono_literals;
    EXPECT_EQ(exam::heartbeat_interval("", true), 1min);
    EXPECT_EQ(exam::heartbeat_interval("", false), 0ms);
    EXPECT_EQ(exam::heartbeat_interval("30s", false), 30s);
    EXPECT_EQ(exam::heartbeat_interval("0s", true), 0ms);
    EXPECT_EQ(exam::heartbeat_interval("0", true), 0ms);
    EXPECT_THROW((void)exam::heartbeat_interval("often", true), exam::UsageError);
}
