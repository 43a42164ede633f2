#include <gtest/gtest.h>

#include <exam/service/camera_status.hpp>
#include <exam/util/error.hpp>

using namespace std::chrono;

namespace {

const exam::TimePoint k_now = sys_days{year{2026} / June / 1} + hours{7};

exam::ServiceStatus two_cameras() {
    exam::CameraStatus front;
    front.camera = "0101-front";
    front.room = "0101";
    front.room_label = "Аудитория 0101";
    front.camera_label = "Передняя \"у доски\"";
    front.state = exam::CameraState::retrying;
    front.since = k_now - minutes{2};
    front.bytes_today = 1'234'567'890;
    front.current_segment = "/srv/recordings/0101-front/2026-06-01/0101-front_070000.mp4";
    front.gaps_today = 1;
    front.gap_time_today = milliseconds{65'250};
    front.health = {k_now - seconds{20}, {"black (mean grey 3)"}};
    front.sound = exam::SoundState::lost;
    front.alarms = {{"0101-front",
                     "0101",
                     exam::AlarmKind::gap,
                     true,
                     k_now - minutes{2},
                     k_now - minutes{1},
                     {"no picture for 60s", "no picture for 60s"}}};
    front.want_source = exam::WantSource::by_hand;
    front.wanted_on = true;
    front.last_problem = "connection refused by 10.0.0.21:554";

    exam::CameraStatus back;
    back.camera = "0101-back";
    back.room = "0101";
    back.room_label = "0101";
    back.camera_label = "0101-back";
    back.state = exam::CameraState::stopped;
    back.since = k_now - hours{1};
    back.sound = exam::SoundState::none;
    exam::ServiceStatus status{k_now, true, "exam", {front, back}};
    status.unjournalled = 3;
    return status;
}

void expect_refused(const std::string& text) {
    SCOPED_TRACE(text);
    try {
        (void)exam::parse_status_json(text);
        ADD_FAILURE() << "accepted";
    } catch (const exam::InputError& error) {
        EXPECT_NE(std::string{error.what()}.find("is not a status this exam-camera understands"),
                  std::string::npos)
            << error.what();
    }
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(CameraStatusJson, ReadsBackWhatItWrites) {
    const exam::ServiceStatus status = two_cameras();
    EXPECT_EQ(exam::parse_status_json(exam::status_json(status)), status);
    EXPECT_EQ(exam::parse_status_json(exam::status_json({})), exam::ServiceStatus{});
}

TEST(CameraStatusJson, KeysAndTimesAreTheDocumentedOnes) {
    const std::string json = exam::status_json(two_cameras());
    for (const std::string part : {
             "\"version\": 1", "\"now\": \"2026-06-01T07:00:00.000Z\"", "\"shifted_clock\": true",
             "\"service_user\": \"exam\"", "\"unjournalled\": 3", "\"state\": \"retrying\"",
             "\"since\": \"2026-06-01T06:58:00.000Z\"", "\"want_source\": \"by-hand\"",
             "\"bytes_today\": 1234567890", "\"gaps_today\": 1", "\"gap_ms_today\": 65250",
             "\"checked_at\": \"2026-06-01T06:59:40.000Z\"", "\"sound\": \"lost\"",
             "\"kind\": \"gap\"", "\"current_segment\": null",
             "\"camera_label\": \"Передняя \\\"у доски\\\"\"",  // UTF-8 kept, quotes escaped
         }) {
        EXPECT_TRUE(has(json, part)) << part << "\n" << json;
    }
    EXPECT_EQ(json.back(), '\n');
}

TEST(CameraStatusJson, AReplyThatIsNotAStatusIsRefused) {
    expect_refused("");
    expect_refused("garbage");
    expect_refused("{}");
    std::string json = exam::status_json(two_cameras());
    expect_refused(std::string{json}.replace(json.find("\"version\": 1"), 12, "\"version\": 2"));
    expect_refused(std::string{json}.replace(json.find("retrying"), 8, "sleeping"));
    expect_refused(
        std::string{json}.replace(json.find("\"kind\": \"gap\""), 13, "\"kind\": \"x\""));
    expect_refused(
        std::string{json}.replace(json.find("2026-06-01T07:00:00.000Z"), 24, "yesterday"));
}

TEST(CameraStatusTable, ShowsEveryCameraWithItsColumns) {
    exam::ServiceStatus status = two_cameras();
    status.unjournalled = 0;  // the next test's line
    const std::string table =
        exam::status_table(status, *exam::TimeZone::find("Europe/Moscow"), false);
    EXPECT_TRUE(has(table,
                    "as of 2026-06-01 10:00:00 +03:00 (a shifted clock, not the real "
                    "time); the service runs as exam\n"))
        << table;
    const std::string header = table.substr(table.find('\n') + 1);
    std::size_t at = 0;
    for (const std::string column : {"ROOM", "CAMERA", "STATE", "SINCE", "WANTED", "TODAY", "GAPS",
                                     "PICTURE", "SOUND", "ALARMS", "SEGMENT"}) {
        const std::size_t found = header.find(column, at);
        ASSERT_NE(found, std::string::npos) << column << "\n" << table;
        EXPECT_LT(found, header.find('\n')) << column;
        at = found;
    }
    for (const std::string cell : {
             "0101 Аудитория 0101",
             "0101-front Передняя \"у доски\"",
             "retrying",
             "2026-06-01 09:58:00",
             "on, by hand",
             "1.2 GB",
             "1 (1m5s)",
             "black (mean grey 3)",
             "lost",
             "gap since 2026-06-01 09:58:00",
             "0101-front_070000.mp4",
             "0101-back",
             "stopped",
             "off, schedule",
             "not checked",
         }) {
        EXPECT_TRUE(has(table, cell)) << cell << "\n" << table;
    }
    EXPECT_FALSE(has(table, "/srv/recordings"));  // the file's name, not its whole path
    EXPECT_TRUE(has(table, "\n0101-front: connection refused by 10.0.0.21:554\n")) << table;
    EXPECT_FALSE(has(table, "\x1b["));
}

TEST(CameraStatusTable, EntriesTheJournalRefusedAreSaidAboveTheTableUntilThereAreNone) {
    const auto zone = *exam::TimeZone::find("UTC");
    exam::ServiceStatus status = two_cameras();
    const std::string table = exam::status_table(status, zone, false);
    const std::string second_line = table.substr(table.find('\n') + 1);
    EXPECT_TRUE(
        second_line.starts_with("3 entries of the recording could not be written to the "
                                "journal"))
        << table;
    status.unjournalled = 0;
    EXPECT_FALSE(has(exam::status_table(status, zone, false), "journal"));
}

TEST(CameraStatusTable, ColoursOnlyWhenAsked) {
    const auto zone = *exam::TimeZone::find("UTC");
    EXPECT_TRUE(has(exam::status_table(two_cameras(), zone, true), "\x1b["));
}
