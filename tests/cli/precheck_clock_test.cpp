// exam-precheck's clock check against real SNTP servers on loopback: good ones, a silent one,
// and hostile ones whose replies RFC 4330 section 5 says to discard.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <exam/precheck/sntp.hpp>

#include "support/run_tool.hpp"
#include "support/sntp_responder.hpp"
#include "support/temp_dir.hpp"
#include "support/translated_catalogue.hpp"

namespace {

using exam::testing::run_tool;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class PrecheckClock : public exam::testing::TempDirTest {
protected:
    nlohmann::json run_json(const std::string& suite, std::vector<std::string> extra = {}) const {
        temp.write("suite.toml", suite);
        std::vector<std::string> args{"run", "--suite", (temp / "suite.toml").string(), "--report",
                                      "json"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto result =
            run_tool(EXAM_PRECHECK_BIN, {.args = args, .working_directory = temp.path()});
        EXPECT_TRUE(result.exited()) << result.standard_error;
        auto json = nlohmann::json::parse(result.standard_output, nullptr, false);
        EXPECT_FALSE(json.is_discarded()) << result.standard_output << result.standard_error;
        json["__exit"] = result.exit_code;
        return json;
    }
};

}  // namespace

namespace {

using exam::testing::SntpResponder;

// A timeout that the sanitizer build, which starts each check slowly, also keeps on a busy
// machine.
std::string clock_suite(const std::string& id, const std::string& server) {
    return "[[check]]\nid = \"" + id + "\"\ntype = \"clock\"\nserver = \"" + server +
           "\"\nwarn_offset = \"500ms\"\nfail_offset = \"2s\"\ntimeout = \"5s\"\n\n";
}

}  // namespace

TEST_F(PrecheckClock, ClockMeasuresTheOffsetFromALocalSntpServer) {
    SntpResponder accurate{std::chrono::milliseconds{0}, true};
    SntpResponder ahead{std::chrono::milliseconds{1000}, true};
    SntpResponder far_ahead{std::chrono::milliseconds{5000}, true};
    SntpResponder silent{std::chrono::milliseconds{0}, false};
    const auto json = run_json(
        clock_suite("accurate", accurate.address()) + clock_suite("ahead", ahead.address()) +
        clock_suite("far-ahead", far_ahead.address()) + clock_suite("silent", silent.address()));
    EXPECT_EQ(json["checks"][0]["status"], "pass") << json.dump(2);
    EXPECT_EQ(json["checks"][1]["status"], "warn") << json.dump(2);
    EXPECT_NEAR(json["checks"][1]["observed"]["value"].get<double>(), 1000.0, 400.0);
    EXPECT_EQ(json["checks"][2]["status"], "fail") << json.dump(2);
    EXPECT_NEAR(json["checks"][2]["observed"]["value"].get<double>(), 5000.0, 400.0);
    EXPECT_EQ(json["checks"][2]["observed"]["unit"], "ms");
    EXPECT_EQ(json["checks"][3]["status"], "error");
    EXPECT_TRUE(contains(json["checks"][3]["message"], "did not answer")) << json.dump(2);
}

TEST_F(PrecheckClock, ClockFailsWhenTheSystemTimezoneIsNotTheSites) {
    const auto system_zone = exam::system_timezone_name();
    ASSERT_TRUE(system_zone.has_value())
        << "this machine names no timezone in /etc/timezone or /etc/localtime";
    const std::string other_zone = *system_zone == "Asia/Tokyo" ? "Europe/Moscow" : "Asia/Tokyo";
    temp.write("site.toml", "ppe_code = \"0001\"\nregion = \"77\"\nname = \"x\"\ntimezone = \"" +
                                other_zone + "\"\n");
    SntpResponder accurate{std::chrono::milliseconds{0}, true};
    const auto json = run_json(clock_suite("clock", accurate.address()),
                               {"--site", (temp / "site.toml").string()});
    EXPECT_EQ(json["checks"][0]["status"], "fail") << json.dump(2);
    EXPECT_TRUE(contains(json["checks"][0]["message"], "the system timezone is " + *system_zone))
        << json.dump(2);
}

// Each finding has its own remedy: a wrong zone is set with set-timezone (set-ntp does not
// change it), and the clock's own finding is told beside it, with the suite's advice for it.
TEST_F(PrecheckClock, AWrongTimezoneAndAnUnreachableServerAreBothShownEachWithItsRemedy) {
    const auto system_zone = exam::system_timezone_name();
    ASSERT_TRUE(system_zone.has_value())
        << "this machine names no timezone in /etc/timezone or /etc/localtime";
    const std::string other_zone = *system_zone == "Asia/Tokyo" ? "Europe/Moscow" : "Asia/Tokyo";
    temp.write("site.toml", "ppe_code = \"0001\"\nregion = \"77\"\nname = \"x\"\ntimezone = \"" +
                                other_zone + "\"\n");
    SntpResponder accurate{std::chrono::milliseconds{0}, true};
    SntpResponder silent{std::chrono::milliseconds{0}, false};
    const std::string hint = "hint = \"Synchronise the clock: timedatectl set-ntp true\"\n";
    const auto json = run_json(clock_suite("zone-only", accurate.address()) + hint +
                                   clock_suite("zone-and-server", silent.address()) + hint,
                               {"--site", (temp / "site.toml").string()});
    const auto& zone_only = json["checks"][0];
    EXPECT_EQ(zone_only["status"], "fail") << zone_only.dump(2);
    EXPECT_TRUE(contains(zone_only["message"], "the system timezone is " + *system_zone))
        << zone_only.dump(2);
    EXPECT_TRUE(contains(zone_only["message"], "the clock is ")) << zone_only.dump(2);
    EXPECT_EQ(zone_only["hint"], "set the timezone: sudo timedatectl set-timezone " + other_zone);

    const auto& both = json["checks"][1];
    EXPECT_EQ(both["status"], "fail") << both.dump(2);
    EXPECT_TRUE(contains(both["message"], "the system timezone is " + *system_zone))
        << both.dump(2);
    EXPECT_TRUE(contains(both["message"], "did not answer")) << both.dump(2);
    EXPECT_EQ(both["hint"], "set the timezone: sudo timedatectl set-timezone " + other_zone +
                                "; Synchronise the clock: timedatectl set-ntp true");
}

// The reply to somebody else's request is passed over by its typed reason, not by looking for
// an English word in a text that may be translated.
TEST_F(PrecheckClock, AStrayReplyIsPassedOverInAnyLanguage) {
    SntpResponder stray_first{std::chrono::milliseconds{0}, true, true};
    temp.write("suite.toml", clock_suite("clock", stray_first.address()));
    auto environment = exam::testing::language_environment("xx");
    const auto result =
        run_tool(EXAM_PRECHECK_BIN, {.args = {"run", "--suite", "suite.toml", "--report", "json"},
                                     .working_directory = temp.path(),
                                     .environment = environment});
    const auto json = nlohmann::json::parse(result.standard_output, nullptr, false);
    ASSERT_FALSE(json.is_discarded()) << result.standard_output << result.standard_error;
    EXPECT_EQ(json["checks"][0]["status"], "pass") << json.dump(2);
    // The run did speak the catalogue's language.
    EXPECT_TRUE(contains(json["checks"][0]["message"], exam::testing::k_translation_marker))
        << json.dump(2);
}

namespace {

struct HostileServer {
    const char* id;
    SntpResponder::Damage damage;
    const char* reason;  // in the check's message
};

}  // namespace

// Each of these replies was once believed: most gave a pass (an offset near 0), a transmit
// time of 0 a huge offset. Each is now "could not check", saying why.
TEST_F(PrecheckClock, RepliesRfc4330SaysToDiscardCouldNotBeChecked) {
    using exam::testing::get_u64;
    using exam::testing::put_u32;
    using exam::testing::put_u64;
    constexpr std::uint64_t k_half_hour = std::uint64_t{1800} << 32;
    const std::vector<HostileServer> hostile{
        // Received half an hour before it was sent and sent half an hour after: offset 0.
        {"transmit-an-hour-after-receive",
         [](exam::NtpPacket& r) {
             put_u64(r, 32, get_u64(r, 32) - k_half_hour);
             put_u64(r, 40, get_u64(r, 40) + k_half_hour);
         },
         "the reply's times contradict each other"},
        {"version-0", [](exam::NtpPacket& r) { r[0] = (0 << 3) | 4; }, "NTP version 0"},
        {"version-7", [](exam::NtpPacket& r) { r[0] = (7 << 3) | 4; }, "NTP version 7"},
        {"root-dispersion-max", [](exam::NtpPacket& r) { put_u32(r, 8, 0xFFFFFFFF); },
         "root dispersion 65536.000 s"},
        {"reference-time-0", [](exam::NtpPacket& r) { put_u64(r, 16, 0); },
         "never been synchronised"},
        {"transmit-time-0", [](exam::NtpPacket& r) { put_u64(r, 40, 0); },
         "a receive or transmit timestamp of 0"},
        {"alarm",
         [](exam::NtpPacket& r) { r[0] = static_cast<std::uint8_t>((3 << 6) | (4 << 3) | 4); },
         "not synchronised"},
    };
    std::vector<std::unique_ptr<SntpResponder>> servers;
    std::string suite;
    for (const HostileServer& server : hostile) {
        servers.push_back(std::make_unique<SntpResponder>(server.damage));
        suite += clock_suite(server.id, servers.back()->address());
    }
    const auto json = run_json(suite);
    ASSERT_EQ(json["checks"].size(), hostile.size()) << json.dump(2);
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        const auto& check = json["checks"][i];
        SCOPED_TRACE(hostile[i].id);
        EXPECT_EQ(check["status"], "error") << check.dump(2);
        EXPECT_TRUE(contains(check["message"], "cannot measure the clock against"))
            << check.dump(2);
        EXPECT_TRUE(contains(check["message"], hostile[i].reason)) << check.dump(2);
        EXPECT_TRUE(check["observed"].is_null()) << check.dump(2);
    }
    EXPECT_EQ(json["__exit"], 3);
}
