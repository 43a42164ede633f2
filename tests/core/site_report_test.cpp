#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <exam/core/site_loader.hpp>
#include <exam/core/site_report.hpp>

#include "support/temp_dir.hpp"

TEST(SiteReport, TextListsEveryCameraWithItsRoom) {
    const exam::Site site = exam::load_site(exam::testing::example_site_file());
    std::ostringstream out;
    exam::write_site_text(out, site, exam::Palette{false});
    const std::string text = out.str();
    EXPECT_NE(text.find("Exam point 0001 (region 77)"), std::string::npos) << text;
    EXPECT_NE(text.find("3 rooms, 4 cameras, 2 exams"), std::string::npos) << text;
    for (const auto& room : site.rooms) {
        for (const auto& camera : room.cameras) {
            EXPECT_NE(text.find(camera.uri), std::string::npos) << camera.id;
        }
    }
}

TEST(SiteReport, JsonKeepsCodesAsStrings) {
    const exam::Site site = exam::load_site(exam::testing::example_site_file());
    std::ostringstream out;
    exam::write_site_json(out, site);
    const auto json = nlohmann::json::parse(out.str());
    EXPECT_EQ(json["ppe_code"], "0001");
    EXPECT_EQ(json["region"], "77");
    EXPECT_EQ(json["rooms"].size(), 3u);
    EXPECT_EQ(json["rooms"][0]["cameras"][1]["id"], "0101-back");
    EXPECT_EQ(json["exams"][0]["date"], "2026-06-01");
    EXPECT_EQ(json["exams"][0]["start"], "10:00");
    EXPECT_EQ(json["exams"][0]["duration"], "3h55m");
}
