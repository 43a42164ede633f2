#include <gtest/gtest.h>

#include <exam/archive/holds.hpp>
#include <exam/core/site_loader.hpp>
#include <exam/util/error.hpp>

using namespace std::chrono;

namespace {

const std::string k_site = R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"

[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "3h55m"

[[room]]
id = "0101"
[[room.camera]]
id = "0101-front"
uri = "test:320x240@5"
[[room]]
id = "hq"
kind = "hq"
[[room.camera]]
id = "hq-desk"
uri = "test:320x240@5"
)";

exam::TimePoint utc(int h, int mi) {
    return exam::TimePoint{sys_days{2026y / June / 1}} + hours{h} + minutes{mi};
}

exam::HoldRequest request() {
    return {
        .exam = std::nullopt, .rooms = {}, .cameras = {}, .reason = "appeal 17", .actor = "root"};
}

}  // namespace

TEST(HoldFromRequest, AnExamHoldsEachRoomsWindowOfIt) {
    const auto site = exam::parse_site(k_site, "site.toml");
    auto wanted = request();
    wanted.exam = "math";
    const auto hold = exam::hold_from_request(site, wanted, utc(12, 0));
    ASSERT_EQ(hold.scopes.size(), 2U);
    // Exam rooms from an hour before 10:00 Moscow; the HQ from two and a half hours before.
    EXPECT_EQ(hold.scopes[0].room, std::optional<std::string>{"0101"});
    EXPECT_EQ(hold.scopes[0].exam, std::optional<std::string>{"math"});
    EXPECT_EQ(hold.scopes[0].from, utc(6, 0));
    EXPECT_EQ(hold.scopes[1].room, std::optional<std::string>{"hq"});
    EXPECT_EQ(hold.scopes[1].from, utc(4, 30));
    EXPECT_EQ(hold.reason, "appeal 17");
    EXPECT_EQ(hold.held_at, utc(12, 0));

    wanted.rooms = {"hq"};
    EXPECT_EQ(exam::hold_from_request(site, wanted, utc(12, 0)).scopes.size(), 1U);
}

TEST(HoldFromRequest, RoomsAndCamerasAreHeldWhole) {
    const auto site = exam::parse_site(k_site, "site.toml");
    auto wanted = request();
    wanted.rooms = {"0101"};
    wanted.cameras = {"hq-desk"};
    const auto hold = exam::hold_from_request(site, wanted, utc(12, 0));
    ASSERT_EQ(hold.scopes.size(), 2U);
    EXPECT_EQ(hold.scopes[0].room, std::optional<std::string>{"0101"});
    EXPECT_FALSE(hold.scopes[0].from.has_value());
    EXPECT_EQ(hold.scopes[1].camera, std::optional<std::string>{"hq-desk"});
    EXPECT_EQ(hold.scopes[1].room, std::optional<std::string>{"hq"});
}

TEST(HoldFromRequest, RefusesUnknownNamesNothingNamedAndNoReason) {
    const auto site = exam::parse_site(k_site, "site.toml");
    auto wanted = request();
    EXPECT_THROW((void)exam::hold_from_request(site, wanted, utc(12, 0)), exam::UsageError);
    wanted.exam = "maths";
    try {
        (void)exam::hold_from_request(site, wanted, utc(12, 0));
        ADD_FAILURE() << "an unknown exam was held";
    } catch (const exam::UsageError& e) {
        EXPECT_NE(std::string{e.what()}.find("\"math\""), std::string::npos) << e.what();
    }
    wanted.exam.reset();
    wanted.cameras = {"0101-back"};
    EXPECT_THROW((void)exam::hold_from_request(site, wanted, utc(12, 0)), exam::UsageError);
    wanted.cameras = {"0101-front"};
    wanted.reason.clear();
    EXPECT_THROW((void)exam::hold_from_request(site, wanted, utc(12, 0)), exam::UsageError);
}

TEST(DescribeScope, SaysWhatIsHeldInTheSitesZone) {
    const auto zone = *exam::TimeZone::find("Europe/Moscow");
    EXPECT_EQ(exam::describe_scope(
                  {.exam = "math", .room = "0101", .from = utc(6, 0), .to = utc(11, 25)}, zone),
              "exam math, room 0101, 2026-06-01 09:00 to 2026-06-01 14:25");
    EXPECT_EQ(exam::describe_scope({.room = "0101", .camera = "0101-front"}, zone),
              "camera 0101-front");
    EXPECT_EQ(exam::describe_scope({}, zone), "all recordings");
}
