#include <gtest/gtest.h>

#include <exam/archive/export_plan.hpp>
#include <exam/core/site_loader.hpp>
#include <exam/recording/recording_lock.hpp>
#include <exam/util/error.hpp>

#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;

// "2026-06-01T07:00:00Z" as parse_utc reads it (with milliseconds).
exam::TimePoint at(const char* text) {
    std::string stored(text);
    stored.insert(stored.size() - 1, ".000");
    return exam::parse_utc(stored).value();
}

class ExportPlanTest : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        temp.write("site.toml",
                   "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
                   "timezone = \"Europe/Moscow\"\n[[room]]\nid = \"0101\"\n"
                   "[[room.camera]]\nid = \"front\"\nuri = \"test:\"\n"
                   "[[room.camera]]\nid = \"back\"\nuri = \"test:\"\n");
        site = std::make_unique<exam::Site>(exam::load_site(temp / "site.toml"));
        auto index = exam::SegmentIndex::open(site->paths.recordings);
        // front: 07:00-07:01, 07:01-07:02, 09:00-09:01; back: 07:00-07:01.
        for (const auto& [camera, start] :
             std::vector<std::pair<std::string, const char*>>{{"front", "2026-06-01T07:01:00Z"},
                                                              {"front", "2026-06-01T07:00:00Z"},
                                                              {"front", "2026-06-01T09:00:00Z"},
                                                              {"back", "2026-06-01T07:00:00Z"}}) {
            const exam::TimePoint started = at(start);
            index.add_segment({.camera = camera,
                               .room = "0101",
                               .file = "0101/" + camera + "/" + std::string(start).substr(11, 2) +
                                       std::string(start).substr(14, 2) + ".mp4",
                               .started = started,
                               .ended = started + 1min,
                               .bytes = 1000,
                               .sha256 = std::string(64, '0')});
        }
        index.add_gap({.camera = "front",
                       .room = "0101",
                       .started = at("2026-06-01T07:02:00Z"),
                       .ended = at("2026-06-01T07:03:00Z"),
                       .reason = "camera off"});
    }

    exam::ExportPlan plan(exam::TimeRange window, exam::TimePoint now) {
        std::vector<exam::CameraWindow> windows;
        for (const auto& camera : site->rooms[0].cameras) {
            windows.push_back({&site->rooms[0], &camera, window});
        }
        auto index =
            exam::SegmentIndex::open_read_only(exam::SegmentIndex::file_in(site->paths.recordings));
        return exam::plan_export(*site, windows, index, "2026-06-01", now);
    }

    std::unique_ptr<exam::Site> site;
};

}  // namespace

TEST(PackageSafeName, KeepsPlainIdsAndReplacesWhatFatRefuses) {
    EXPECT_EQ(exam::package_safe_name("0101"), "0101");
    EXPECT_EQ(exam::package_safe_name("front-2.cam_a"), "front-2.cam_a");
    EXPECT_EQ(exam::package_safe_name("a:b/c\\d*e?"), "a_b_c_d_e_");
    EXPECT_EQ(exam::package_safe_name("ауд"), "______");  // six UTF-8 bytes
    EXPECT_EQ(exam::package_safe_name("name."), "name_");
    EXPECT_EQ(exam::package_safe_name(""), "_");
}

TEST(PackageSafeName, ShortensLongNamesKeepingThemApart) {
    const std::string a(100, 'a');
    const std::string b = std::string(99, 'a') + "b";
    EXPECT_EQ(exam::package_safe_name(a).size(), 64u);
    EXPECT_NE(exam::package_safe_name(a), exam::package_safe_name(b));
    EXPECT_EQ(exam::package_safe_name(std::string(64, 'x')), std::string(64, 'x'));
}

TEST_F(ExportPlanTest, TakesTheSegmentsOverlappingEachWindowInTimeOrder) {
    const auto result =
        plan({at("2026-06-01T07:00:30Z"), at("2026-06-01T08:00:00Z")}, at("2026-06-02T00:00:00Z"));
    ASSERT_EQ(result.cameras.size(), 2u);
    const auto& front = result.cameras[0];
    EXPECT_EQ(front.folder, "77-0001/2026-06-01/0101/front");
    ASSERT_EQ(front.segments.size(), 2u);
    EXPECT_EQ(front.segments[0].record.file, "0101/front/0700.mp4");
    EXPECT_EQ(front.segments[0].package_path, "77-0001/2026-06-01/0101/front/0700.mp4");
    EXPECT_EQ(front.segments[0].source, site->paths.recordings / "0101/front/0700.mp4");
    EXPECT_EQ(front.segments[1].record.file, "0101/front/0701.mp4");
    ASSERT_EQ(front.gaps.size(), 1u);
    EXPECT_EQ(front.gaps[0].reason, "camera off");
    EXPECT_EQ(result.cameras[1].segments.size(), 1u);
    EXPECT_EQ(result.bytes(), 3000u);
    EXPECT_EQ(result.segment_count(), 3u);
}

TEST_F(ExportPlanTest, RefusesACameraStillRecordingIntoItsWindowNamingIt) {
    const auto folder = exam::camera_folder(site->paths.recordings, "0101", "front");
    auto lock = exam::RecordingLock::take(folder);
    ASSERT_TRUE(lock);
    temp.write("recordings/0101/front/20260601T075900Z.mp4.partial", "being written");
    try {
        (void)plan({at("2026-06-01T07:00:00Z"), at("2026-06-01T08:00:00Z")},
                   at("2026-06-01T08:30:00Z"));
        FAIL() << "planned a window a recorder is writing into";
    } catch (const exam::StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("front"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("back"), std::string::npos) << e.what();
    }
    // A window that ended before the segment being written began is safe to export.
    EXPECT_NO_THROW((void)plan({at("2026-06-01T07:00:00Z"), at("2026-06-01T07:30:00Z")},
                               at("2026-06-01T08:30:00Z")));
}
