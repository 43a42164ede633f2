#include <gtest/gtest.h>

#include <exam/core/site_loader.hpp>
#include <exam/journal/journal.hpp>
#include <exam/journal/journal_report.hpp>
#include <exam/service/recording_journal.hpp>

#include "support/temp_dir.hpp"

namespace {

const std::string k_site =
    "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\ntimezone = \"Europe/Moscow\"\n";

exam::SegmentRecord segment() {
    exam::SegmentRecord record;
    record.camera = "front";
    record.room = "0101";
    record.exam = "math";
    record.file = "0101/front/20260601T070000Z.mp4";
    record.bytes = 1234;
    record.sha256 = std::string(64, 'a');
    return record;
}

class RecordingJournalTest : public exam::testing::TempDirTest {
protected:
    exam::Site site(const std::string& extra = {}) const {
        temp.write("site.toml", k_site + extra);
        return exam::load_site(temp / "site.toml");
    }

    std::vector<exam::JournalEntry> entries() const {
        exam::Journal journal = exam::Journal::open_read_only(temp / "data/journal.sqlite");
        return exam::list_entries(journal, {});
    }

    const exam::CameraSource m_camera{"front", "0101", "test:"};
};

}  // namespace

TEST_F(RecordingJournalTest, StartsStopsAndSegmentsAreEntriesWithFixedWords) {
    const exam::Site opened = site();
    (void)exam::Journal::initialize(opened);
    exam::RecordingJournal journal{exam::open_site_journal(opened), "math", "Technician"};
    EXPECT_FALSE(journal.camera_switched(m_camera, {.on = true, .after_crash = true}, "ctrl-c"));
    EXPECT_FALSE(journal.segment_finished(segment()));
    EXPECT_FALSE(journal.camera_switched(
        m_camera, {.on = false, .cause = exam::SwitchOffCause::disk_full}, "ctrl-c"));
    EXPECT_FALSE(journal.camera_switched(m_camera, {.on = false}, "sigterm"));
    EXPECT_FALSE(journal.close());
    EXPECT_EQ(journal.unjournalled(), 0u);

    const auto written = entries();
    ASSERT_EQ(written.size(), 4u);
    EXPECT_EQ(written[0].kind, exam::EntryKind::recording_start);
    EXPECT_EQ(written[0].reason, "restart-after-crash");
    EXPECT_EQ(written[0].room, "0101");
    EXPECT_EQ(written[0].camera, "front");
    EXPECT_EQ(written[0].exam, "math");
    EXPECT_EQ(written[0].actor, "Technician");
    EXPECT_EQ(written[1].kind, exam::EntryKind::segment);
    EXPECT_EQ(written[1].note,
              "0101/front/20260601T070000Z.mp4 sha256 " + std::string(64, 'a') + " bytes 1234");
    EXPECT_EQ(written[2].reason, "disk-full");
    EXPECT_EQ(written[3].kind, exam::EntryKind::recording_stop);
    EXPECT_EQ(written[3].reason, "sigterm");
}

TEST_F(RecordingJournalTest, AMissingJournalCountsEveryEntryItShouldHaveHeld) {
    exam::RecordingJournal journal{exam::open_site_journal(site()), std::nullopt, std::nullopt};
    EXPECT_TRUE(journal.kept());
    EXPECT_NE(journal.problem().find("exam-journal init"), std::string::npos) << journal.problem();
    (void)journal.camera_switched(m_camera, {.on = true}, "ctrl-c");
    (void)journal.segment_finished(segment());
    EXPECT_EQ(journal.unjournalled(), 2u);
}

TEST_F(RecordingJournalTest, AStationThatKeepsNoJournalMissesNothing) {
    exam::RecordingJournal journal{exam::open_site_journal(site("[journal]\nkeep = false\n")),
                                   std::nullopt, std::nullopt};
    EXPECT_FALSE(journal.kept());
    EXPECT_TRUE(journal.problem().empty());
    (void)journal.segment_finished(segment());
    EXPECT_EQ(journal.unjournalled(), 0u);
}
