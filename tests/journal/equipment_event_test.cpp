#include <gtest/gtest.h>

#include <exam/core/site_loader.hpp>
#include <exam/journal/equipment_event.hpp>
#include <exam/util/error.hpp>

namespace {

exam::Site site() {
    return exam::parse_site(R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"
[[room]]
id = "0101"
[[room.camera]]
id = "front"
uri = "test:"
[[room]]
id = "0102"
[[room.camera]]
id = "door"
uri = "test:"
)",
                            "/srv/site.toml");
}

std::string refusal(const exam::EquipmentEventRequest& request) {
    try {
        (void)exam::equipment_event(site(), request);
    } catch (const exam::UsageError& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST(EquipmentEvent, BuildsTheEntryOfAKnownKindRoomAndCamera) {
    const exam::JournalEntry entry = exam::equipment_event(
        site(), {.kind = "angle-correction", .room = "0101", .camera = "front", .note = "lights"});
    EXPECT_EQ(entry.kind, exam::EntryKind::angle_correction);
    EXPECT_EQ(entry.room, "0101");
    EXPECT_EQ(entry.camera, "front");
    EXPECT_EQ(entry.note, "lights");
}

TEST(EquipmentEvent, AMisspeltKindGetsADidYouMeanAndANonEquipmentKindTheList) {
    EXPECT_NE(refusal({.kind = "angle-corection"}).find("did you mean \"angle-correction\""),
              std::string::npos);
    const std::string enter = refusal({.kind = "enter"});
    EXPECT_NE(enter.find("the kinds are: operability-check, recording-start"), std::string::npos)
        << enter;
}

TEST(EquipmentEvent, ACameraOfAnotherRoomIsRefused) {
    const std::string other = refusal({.kind = "card-out", .room = "0101", .camera = "door"});
    EXPECT_NE(other.find("camera \"door\" is not in the site file for room 0101"),
              std::string::npos)
        << other;
    EXPECT_NE(refusal({.kind = "card-out", .room = "0103"}).find("room \"0103\""),
              std::string::npos);
}
