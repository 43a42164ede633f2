#include <gtest/gtest.h>

#include <exam/core/site_loader.hpp>
#include <exam/service/recording_session.hpp>
#include <exam/util/error.hpp>

namespace {

exam::Site two_rooms() {
    return exam::parse_site(R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"
[[room]]
id = "0101"
[[room.camera]]
id = "front"
uri = "test:"
[[room.camera]]
id = "back"
uri = "test:"
[[room]]
id = "0102"
[[room.camera]]
id = "door"
uri = "test:"
)",
                            "/srv/site.toml");
}

std::vector<std::string> ids(const std::vector<exam::CameraSource>& sources) {
    std::vector<std::string> found;
    for (const auto& source : sources) {
        found.push_back(source.room + "/" + source.camera);
    }
    return found;
}

}  // namespace

TEST(RecordingSession, ChoosesWholeRoomsSingleCamerasOrAll) {
    const exam::Site site = two_rooms();
    EXPECT_EQ(ids(exam::choose_cameras(site, {.all = true})),
              (std::vector<std::string>{"0101/front", "0101/back", "0102/door"}));
    EXPECT_EQ(ids(exam::choose_cameras(site, {.rooms = {"0102"}})),
              (std::vector<std::string>{"0102/door"}));
    EXPECT_EQ(ids(exam::choose_cameras(site, {.rooms = {"0102"}, .cameras = {"back"}})),
              (std::vector<std::string>{"0101/back", "0102/door"}));
}

TEST(RecordingSession, RefusesNoChoiceAndUnknownNamesWithADidYouMean) {
    const exam::Site site = two_rooms();
    EXPECT_THROW((void)exam::choose_cameras(site, {}), exam::UsageError);
    try {
        (void)exam::choose_cameras(site, {.cameras = {"frnt"}});
        ADD_FAILURE() << "an unknown camera was accepted";
    } catch (const exam::UsageError& e) {
        EXPECT_NE(std::string{e.what()}.find("did you mean \"front\""), std::string::npos)
            << e.what();
    }
    EXPECT_THROW((void)exam::choose_cameras(site, {.rooms = {"0103"}}), exam::UsageError);
}
