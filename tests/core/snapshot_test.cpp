// A snapshot's label: what it says, in the site's zone, and every character of it drawable in
// the stamp's font.
#include <gtest/gtest.h>

#include <exam/core/snapshot.hpp>
#include <exam/util/time.hpp>
#include <exam/vision/stamp.hpp>

namespace {

struct Fixture {
    exam::Site site;
    exam::Room room;
    exam::Camera camera;
};

Fixture exam_point() {
    Fixture f{.site = {.file = "site.toml",
                       .ppe_code = "0042",
                       .region_code = "77",
                       .name = "School",
                       .timezone = *exam::TimeZone::find("Europe/Moscow")}};
    f.room.id = "0101";
    f.room.label = "Аудитория 0101";
    f.camera.id = "0101-board";
    f.camera.label = "Камера «Доска»";
    return f;
}

const exam::TimePoint k_morning = *exam::parse_utc("2026-12-04T05:15:03.400Z");

}  // namespace

TEST(SnapshotLabel, NamesRoomCameraExamPointAndTheLocalTimeWithItsOffset) {
    const Fixture f = exam_point();
    EXPECT_EQ(exam::snapshot_label(f.site, f.room, f.camera, k_morning),
              (std::vector<std::string>{"Аудитория 0101 · Камера «Доска» (0101-board)",
                                        "region 77, PPE 0042", "2026-12-04 08:15:03 +03:00"}));
}

TEST(SnapshotLabel, AnIdWithoutALabelIsShownOnce) {
    Fixture f = exam_point();
    f.room.label = "0101";
    f.camera.label = "";
    EXPECT_EQ(exam::snapshot_label(f.site, f.room, f.camera, k_morning).front(),
              "0101 · 0101-board");
}

TEST(SnapshotLabel, EveryCharacterHasAGlyphInTheStampsFont) {
    const Fixture f = exam_point();
    for (const std::string& line : exam::snapshot_label(f.site, f.room, f.camera, k_morning)) {
        EXPECT_TRUE(exam::glyphs_missing(line).empty()) << line;
    }
}
