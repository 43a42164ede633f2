// The recording-storage check on a real small disk: a tmpfs mounted by the test as the site's
// recordings folder, against cameras whose bitrates make the arithmetic easy to follow.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/mount.h>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::run_tool;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class PrecheckStorage : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        std::filesystem::create_directory(temp / "recordings");
        ASSERT_EQ(::mount("tmpfs", (temp / "recordings").c_str(), "tmpfs", 0, "size=64m"), 0);
        m_mounted = true;
        temp.write("suite.toml", "[[check]]\nid = \"storage\"\ntype = \"recording-storage\"\n");
    }
    void TearDown() override {
        if (m_mounted) {
            ::umount((temp / "recordings").c_str());
        }
    }

    // Two cameras at `bitrate`; the exam runs 10:00 to 14:00 Moscow time, checks from 08:00,
    // and recording goes on 30 minutes after the end.
    void write_site(const std::string& bitrate) const {
        std::string site = R"(ppe_code = "0001"
region = "77"
name = "School 1"
timezone = "Europe/Moscow"
[recording]
after_end = "30m"
reserve = "10MB"
[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "4h"
check_lead = "2h"
[[room]]
id = "0101"
)";
        for (const std::string id : {"front", "back"}) {
            site += "[[room.camera]]\nid = \"" + id + "\"\nuri = \"rtsp://192.0.2.1/" + id +
                    "\"\nbitrate = \"" + bitrate + "\"\n";
        }
        temp.write("site.toml", site);
    }

    nlohmann::json run_at(const std::string& at) const {
        const auto result =
            run_tool(EXAM_PRECHECK_BIN,
                     {.args = {"run", "--suite", (temp / "suite.toml").string(), "--site",
                               (temp / "site.toml").string(), "--at", at, "--report", "json"}});
        auto json = nlohmann::json::parse(result.standard_output, nullptr, false);
        EXPECT_FALSE(json.is_discarded()) << result.standard_output << result.standard_error;
        json["__exit"] = result.exit_code;
        return json;
    }

    bool m_mounted = false;
};

}  // namespace

TEST_F(PrecheckStorage, PassesWhenTheWindowFitsWithTheReserveLeft) {
    // 2 cameras x 125 B/s x 6.5 h = 5.85 MB, plus the 10 MB reserve, on 64 MiB.
    write_site("1kbit/s");
    const auto json = run_at("2026-06-01 08:00");
    const auto& check = json["checks"][0];
    EXPECT_EQ(check["status"], "pass") << check.dump();
    EXPECT_TRUE(contains(check["message"],
                         "2 camera(s) at 2 kbit/s in all for 6h30m need 5.8 MB "
                         "plus the 10.0 MB reserve"))
        << check.dump();
    EXPECT_EQ(check["observed"]["unit"], "bytes");
    EXPECT_EQ(check["expected"], "at least 15.8 MB free");
}

TEST_F(PrecheckStorage, FailsWithTheShortfallWhenItDoesNot) {
    // 2 x 2 kB/s x 6.5 h = 93.6 MB: more than the disk holds.
    write_site("16kbit/s");
    const auto json = run_at("2026-06-01 08:00");
    const auto& check = json["checks"][0];
    EXPECT_EQ(check["status"], "fail") << check.dump();
    // 93.6 MB + 10 MB reserve = 103.6 MB against 64 MiB (67.1 MB) free.
    EXPECT_TRUE(contains(check["message"], "36.5 MB short; free space or move [paths] recordings"))
        << check.dump();
    EXPECT_EQ(json["__exit"], 2);
}

TEST_F(PrecheckStorage, TheWindowStartsNowWhenTheChecksAreLate) {
    // At 12:00 only 2.5 h are left: 2 x 2 kB/s x 9000 s = 36 MB, plus 10 MB, fits.
    write_site("16kbit/s");
    const auto json = run_at("2026-06-01 12:00");
    const auto& check = json["checks"][0];
    EXPECT_EQ(check["status"], "pass") << check.dump();
    EXPECT_TRUE(contains(check["message"], "for 2h30m need 36.0 MB")) << check.dump();
}

TEST_F(PrecheckStorage, WithoutAnExamThereIsNoWindowToCheck) {
    write_site("1kbit/s");
    const auto json = run_at("2026-06-03 08:00");
    EXPECT_EQ(json["checks"][0]["status"], "skip");
}
