#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <exam/core/site.hpp>

namespace {

exam::Room room(const std::string& id, const std::vector<std::string>& camera_ids) {
    exam::Room room;
    room.id = id;
    for (const std::string& camera_id : camera_ids) {
        room.cameras.emplace_back().id = camera_id;
    }
    return room;
}

exam::Site two_rooms() {
    exam::Site site{
        .file = "site.toml",
        .ppe_code = "0001",
        .region_code = "77",
        .name = "School",
        .timezone = *exam::TimeZone::find("Europe/Moscow"),
        .exams = {},
        .rooms = {room("0101", {"0101-front", "0101-back"}), room("0102", {"0102-front"})},
        .paths = {},
        .journal = {},
        .recording = {},
        .time = {},
        .service = {}};
    site.exams.emplace_back().id = "2026-06-01-math";
    return site;
}

}  // namespace

TEST(Site, SuggestsTheIdAMisspeltOneMeant) {
    const exam::Site site = two_rooms();
    EXPECT_EQ(site.suggest_exam("2026-06-01-maht"), "; did you mean \"2026-06-01-math\"?");
    EXPECT_EQ(site.suggest_camera("0101-fornt"), "; did you mean \"0101-front\"?");
}

TEST(Site, ListsItsIdsWhenNoneIsClose) {
    const exam::Site site = two_rooms();
    EXPECT_EQ(site.suggest_room("gym"), "; its rooms are: 0101, 0102");
}
