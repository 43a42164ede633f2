#include <gtest/gtest.h>
#include <sys/stat.h>

#include <exam/core/site_loader.hpp>
#include <exam/service/wanted_state.hpp>
#include <exam/util/error.hpp>

#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono;
namespace fs = std::filesystem;
using WantedStateTest = exam::testing::TempDirTest;

exam::TimePoint utc(int h, int mi) {
    return sys_days{year{2026} / June / 1} + hours{h} + minutes{mi};
}

exam::WantedState two_cameras() {
    exam::WantedState state;
    state.cameras["0101-front"] = {true, exam::WantSource::schedule, utc(6, 0), "schedule", {}};
    state.cameras["0102-back"] = {false, exam::WantSource::by_hand, utc(8, 30), "ivanov",
                                  "камера упала, «ремонт» \"срочно\""};
    return state;
}

void expect_damaged(const fs::path& file) {
    try {
        (void)exam::load_wanted_state(file);
        ADD_FAILURE() << "a damaged state was read: " << exam::testing::read_file(file);
    } catch (const exam::InputError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find(file.string()), std::string::npos) << message;
        EXPECT_NE(message.find("exam-camera start"), std::string::npos) << message;
    }
}

}  // namespace

TEST_F(WantedStateTest, AMissingFileIsAServiceThatWantsNothing) {
    EXPECT_TRUE(exam::load_wanted_state(temp / "recording-wanted.json").cameras.empty());
}

TEST_F(WantedStateTest, WhatIsSavedIsReadBackAsItWas) {
    const fs::path file = temp / "data" / "recording-wanted.json";
    exam::save_wanted_state(file, two_cameras());
    EXPECT_EQ(exam::load_wanted_state(file), two_cameras());
    // It names the people acting: readable by the owner and the group only.
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0640u);
    // Nothing is left beside it but the file itself.
    EXPECT_EQ(std::distance(fs::directory_iterator{file.parent_path()}, fs::directory_iterator{}),
              1);
}

TEST_F(WantedStateTest, SavingReplacesTheWholeState) {
    const fs::path file = temp / "recording-wanted.json";
    exam::save_wanted_state(file, two_cameras());
    exam::WantedState one;
    one.cameras["0101-front"] = {false, exam::WantSource::by_hand, utc(9, 0), "petrov", {}};
    exam::save_wanted_state(file, one);
    EXPECT_EQ(exam::load_wanted_state(file), one);
}

TEST_F(WantedStateTest, ADamagedFileIsRefusedNamingItNotGuessed) {
    const std::string good = R"({"version": 1, "cameras": {"c1": {"on": true,
        "source": "by-hand", "since": "2026-06-01T06:00:00.000Z", "by": "ivanov"}}})";
    EXPECT_EQ(exam::load_wanted_state(temp.write("good.json", good)).cameras.at("c1").by, "ivanov");
    for (const std::string& bad : {
             std::string{"{\"version\": 1, \"cameras\": {\"c1\": {\"on\": tr"},  // cut by a crash
             std::string{""},
             std::string{"[]"},
             std::string{R"({"version": 2, "cameras": {}})"},
             std::string{R"({"version": 1, "cameras": {"c1": {"on": "yes", "source": "schedule",
                 "since": "2026-06-01T06:00:00.000Z", "by": "x"}}})"},
             std::string{R"({"version": 1, "cameras": {"c1": {"on": true, "source": "robot",
                 "since": "2026-06-01T06:00:00.000Z", "by": "x"}}})"},
             std::string{R"({"version": 1, "cameras": {"c1": {"on": true, "source": "schedule",
                 "since": "01.06.2026 09:00", "by": "x"}}})"},
         }) {
        SCOPED_TRACE(bad);
        expect_damaged(temp.write("bad.json", bad));
    }
}

TEST_F(WantedStateTest, LivesInTheSitesDataFolder) {
    const exam::Site site = exam::parse_site(R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"
[paths]
data = "/var/lib/examkit"
)",
                                             "/etc/examkit/site.toml");
    EXPECT_EQ(exam::wanted_state_path(site), fs::path{"/var/lib/examkit/recording-wanted.json"});
}
