#include <string>

#include <gtest/gtest.h>

#include <exam/core/site_loader.hpp>
#include <exam/util/error.hpp>

#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string k_header = R"(ppe_code = "0001"
region = "77"
name = "School"
timezone = "Europe/Moscow"
)";

// Expects parse_site to fail at exactly LINE:COL with a message containing `fragment`.
void expect_error_at(const std::string& text, int line, int column, const std::string& fragment) {
    SCOPED_TRACE(text);
    try {
        (void)exam::parse_site(text, "site.toml");
        ADD_FAILURE() << "the site file was accepted";
    } catch (const exam::ConfigError& e) {
        const std::string message = e.what();
        EXPECT_EQ(e.line(), line) << message;
        EXPECT_EQ(e.column(), column) << message;
        EXPECT_EQ(message.rfind(
                      "site.toml:" + std::to_string(line) + ":" + std::to_string(column) + ": ", 0),
                  0u)
            << message;
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
        EXPECT_EQ(e.exit_code(), exam::ExitCode::config);
    }
}

}  // namespace

TEST(SiteLoader, LoadsTheShippedExample) {
    const exam::Site site = exam::load_site(exam::testing::example_site_file());
    EXPECT_EQ(site.ppe_code, "0001");
    EXPECT_EQ(site.region_code, "77");
    EXPECT_EQ(site.timezone.name(), "Europe/Moscow");
    ASSERT_EQ(site.exams.size(), 2u);
    EXPECT_EQ(site.exams[0].check_lead, 2h);
    EXPECT_EQ(site.exams[0].start_time, 10h);
    EXPECT_EQ(site.exams[0].duration, 3h + 55min);
    EXPECT_EQ(site.exams[1].check_lead, 2h);  // the default
    ASSERT_EQ(site.rooms.size(), 3u);
    EXPECT_EQ(site.rooms[0].cameras.size(), 2u);
    EXPECT_EQ(site.rooms[2].kind, exam::RoomKind::hq);
    EXPECT_EQ(site.camera_count(), 4u);
}

TEST(SiteLoader, ResolvesRelativePathsAgainstTheSiteFilesFolder) {
    const exam::Site site = exam::parse_site(k_header + R"(
[paths]
recordings = "../video"
keys = "/etc/examkit/keys"
)",
                                             "/srv/exam/site.toml");
    EXPECT_EQ(site.paths.data, fs::path{"/srv/exam/data"});
    EXPECT_EQ(site.paths.recordings, fs::path{"/srv/video"});
    EXPECT_EQ(site.paths.journal, fs::path{"/srv/exam/data/journal.sqlite"});
    EXPECT_EQ(site.paths.keys, fs::path{"/etc/examkit/keys"});
}

TEST(SiteLoader, ResolvesEveryPathOnceAgainstTheRealFolderHoweverTheFileIsNamed) {
    const exam::testing::TempDir temp;
    temp.write("sub/site.toml", k_header);
    fs::create_symlink(temp / "sub", temp / "link");
    const fs::path real = fs::canonical(temp / "sub");
    for (const fs::path& spelling :
         {temp / "sub/site.toml", temp / "sub/../sub/site.toml", temp / "link/site.toml"}) {
        SCOPED_TRACE(spelling.string());
        const exam::Site site = exam::load_site(spelling);
        EXPECT_EQ(site.paths.data, real / "data");
        // Once, not <folder>/<folder>/data as when the default was resolved twice.
        EXPECT_EQ(site.paths.journal, real / "data/journal.sqlite");
        EXPECT_EQ(site.paths.recordings, real / "recordings");
        EXPECT_EQ(site.paths.keys, real / "keys");
    }
}

TEST(SiteLoader, AStationKeepsAJournalUnlessItSaysItKeepsNone) {
    EXPECT_TRUE(exam::parse_site(k_header, "/srv/site.toml").journal.keep);
    EXPECT_FALSE(
        exam::parse_site(k_header + "[journal]\nkeep = false\n", "/srv/site.toml").journal.keep);
    expect_error_at(k_header + "[journal]\nkeep = \"no\"\n", 6, 8, "keep");
}

TEST(SiteLoader, AcceptsDatesAndTimesAsTomlValuesOrStrings) {
    const exam::Site site = exam::parse_site(k_header + R"(
[[exam]]
id = "a"
date = 2026-06-01
subject = "Maths"
start = 10:00:00
duration = "3h55m"

[[exam]]
id = "b"
date = "2026-06-04"
subject = "Russian"
start = "09:30"
duration = "3h30m"
check_lead = "90m"
)",
                                             "site.toml");
    ASSERT_EQ(site.exams.size(), 2u);
    EXPECT_EQ(site.exams[0].date,
              std::chrono::year{2026} / std::chrono::June / std::chrono::day{1});
    EXPECT_EQ(site.exams[0].start_time, 10h);
    EXPECT_EQ(site.exams[1].start_time, 9h + 30min);
    EXPECT_EQ(site.exams[1].check_lead, 90min);
}

TEST(SiteLoader, LabelsAndKindHaveDefaults) {
    const exam::Site site = exam::parse_site(k_header + R"(
[[room]]
id = "0101"
  [[room.camera]]
  id = "c1"
  uri = "rtsp://127.0.0.1/a"
)",
                                             "site.toml");
    EXPECT_EQ(site.rooms[0].label, "0101");
    EXPECT_EQ(site.rooms[0].kind, exam::RoomKind::exam);
    EXPECT_EQ(site.rooms[0].cameras[0].label, "c1");
}

TEST(SiteLoader, ReadsJournalSettings) {
    const exam::Site site = exam::parse_site(
        k_header + "[journal]\nroster_exempt_roles = [\"police\", \"medic\"]\n", "site.toml");
    EXPECT_EQ(site.journal.roster_exempt_roles, (std::vector<std::string>{"police", "medic"}));
}

TEST(SiteLoader, RecordingsAreKeptUntilTheFirstOfMarchUnlessTheSiteSaysAnotherDay) {
    EXPECT_EQ(exam::parse_site(k_header, "site.toml").recording.keep_until,
              std::chrono::March / std::chrono::day{1});
    EXPECT_EQ(exam::parse_site(k_header + "[recording]\nkeep_until = \"09-15\"\n", "site.toml")
                  .recording.keep_until,
              std::chrono::September / std::chrono::day{15});
}

TEST(SiteLoaderErrors, KeepUntilMustBeADayEveryYearHas) {
    for (const char* bad : {"3-1", "13-01", "04-31", "02-29", "March 1"}) {
        expect_error_at(k_header + "[recording]\nkeep_until = \"" + bad + "\"\n", 6, 1,
                        "must be a day of the year as \"MM-DD\"");
    }
}

TEST(SiteLoaderErrors, UnknownExemptRole) {
    expect_error_at(k_header + "[journal]\nroster_exempt_roles = [\"wizard\"]\n", 6, 1,
                    "unknown role \"wizard\"");
}

TEST(SiteLoaderErrors, ExemptRolesMustBeStrings) {
    expect_error_at(k_header + "[journal]\nroster_exempt_roles = [\"police\", 3]\n", 6, 34,
                    "must be a quoted string; found an integer");
}

TEST(SiteLoaderErrors, UnknownKeyInACameraSuggestsTheRightOne) {
    expect_error_at(k_header + R"(
[[room]]
id = "0101"
  [[room.camera]]
  id = "c1"
  uri = "rtsp://127.0.0.1/a"
  lable = "front"
)",
                    11, 3, "did you mean \"label\"?");
}

TEST(SiteLoaderErrors, UnknownKeyWithNothingCloseListsTheAllowedKeys) {
    expect_error_at(k_header + "colour_scheme = \"dark\"\n", 5, 1, "the keys allowed here are:");
}

TEST(SiteLoaderErrors, UnknownKeyInPaths) {
    expect_error_at(k_header + "[paths]\nrecording = \"video\"\n", 6, 1,
                    "did you mean \"recordings\"?");
}

TEST(SiteLoaderErrors, CodeWrittenAsANumberIsAWrongType) {
    expect_error_at("ppe_code = \"0001\"\nregion = 77\nname = \"x\"\ntimezone = \"UTC\"\n", 2, 10,
                    "must be a quoted string; found an integer");
}

TEST(SiteLoaderErrors, RegionMustBeTwoDigits) {
    expect_error_at("ppe_code = \"0001\"\nregion = \"7\"\nname = \"x\"\ntimezone = \"UTC\"\n", 2, 1,
                    "2 to 2 digits");
}

TEST(SiteLoaderErrors, DuplicateRoomId) {
    expect_error_at(k_header + R"(
[[room]]
id = "0101"

[[room]]
id = "0101"
)",
                    10, 1, "duplicate room id \"0101\"");
}

TEST(SiteLoaderErrors, DuplicateCameraIdAcrossRooms) {
    expect_error_at(k_header + R"(
[[room]]
id = "0101"
  [[room.camera]]
  id = "cam"
  uri = "rtsp://127.0.0.1/a"

[[room]]
id = "0102"
  [[room.camera]]
  id = "cam"
  uri = "rtsp://127.0.0.1/b"
)",
                    15, 3, "duplicate camera id \"cam\"");
}

TEST(SiteLoaderErrors, DuplicateExamId) {
    const std::string exam = R"(
[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "3h"
)";
    expect_error_at(k_header + exam + exam, 14, 1, "duplicate exam id \"math\"");
}

TEST(SiteLoaderErrors, BadTimeOfDay) {
    expect_error_at(k_header + R"(
[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "25:00"
duration = "3h"
)",
                    10, 9, "time of day written \"HH:MM\"");
}

TEST(SiteLoaderErrors, BadDateString) {
    expect_error_at(k_header + R"(
[[exam]]
id = "math"
date = "2026-02-30"
subject = "Maths"
start = "10:00"
duration = "3h"
)",
                    8, 8, "must be a date written YYYY-MM-DD");
}

TEST(SiteLoaderErrors, BadTomlDateIsReportedByTheParserWithItsPlace) {
    try {
        (void)exam::parse_site(k_header + "[[exam]]\nid = \"m\"\ndate = 2026-02-30\n", "site.toml");
        FAIL() << "accepted";
    } catch (const exam::ConfigError& e) {
        EXPECT_EQ(e.line(), 7) << e.what();
        EXPECT_GT(e.column(), 0) << e.what();
    }
}

TEST(SiteLoaderErrors, BadDuration) {
    expect_error_at(k_header + R"(
[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "3 hours"
)",
                    11, 12, "\"duration\" in [[exam]] must be a number with a unit");
}

TEST(SiteLoaderErrors, BadCheckLead) {
    expect_error_at(k_header + R"(
[[exam]]
id = "math"
date = 2026-06-01
subject = "Maths"
start = "10:00"
duration = "3h"
check_lead = 120
)",
                    12, 14, "must be a duration in quotes");
}

TEST(SiteLoaderErrors, UnknownTimezone) {
    expect_error_at(
        "ppe_code = \"0001\"\nregion = \"77\"\nname = \"x\"\ntimezone = \"Europe/Atlantis\"\n", 4,
        1, "unknown timezone \"Europe/Atlantis\"");
}

TEST(SiteLoaderErrors, MissingRequiredKeyPointsAtItsTable) {
    expect_error_at(k_header + R"(
[[room]]
id = "0101"
  [[room.camera]]
  id = "c1"
)",
                    8, 3, "[[room.camera]] is missing the required key \"uri\"");
}

TEST(SiteLoaderErrors, UnknownRoomKind) {
    expect_error_at(k_header + "\n[[room]]\nid = \"0101\"\nkind = \"gym\"\n", 8, 8,
                    "must be one of exam, hq, entrance");
}

TEST(SiteLoaderErrors, IdThatCouldEscapeItsFolder) {
    expect_error_at(k_header + "\n[[room]]\nid = \"../etc\"\n", 7, 1,
                    "may hold only Latin letters");
}

TEST(SiteLoaderErrors, KeysInsideACopiedFolder) {
    expect_error_at(k_header + "[paths]\ndata = \"data\"\nkeys = \"data/keys\"\n", 7, 1,
                    "must be kept apart from the data folder");
}

TEST(SiteLoaderErrors, StartThatAClockChangeSkips) {
    expect_error_at(R"(ppe_code = "0001"
region = "77"
name = "x"
timezone = "Europe/Berlin"
[[exam]]
id = "m"
date = 2026-03-29
subject = "Maths"
start = "02:30"
duration = "3h"
)",
                    9, 1, "does not exist or happens twice");
}

TEST(SiteLoaderErrors, TomlSyntaxErrorHasItsPlace) {
    expect_error_at(k_header + "[[room]\n", 5, 8, "expected");
}

class SiteLocator : public exam::testing::TempDirTest {};

TEST_F(SiteLocator, FlagComesFirstThenEnvironmentThenWorkingDirectoryThenSystem) {
    const auto flag = temp.write("flag.toml", "");
    const auto env = temp.write("env.toml", "");
    const auto local = temp.write("cwd/site.toml", "");
    const auto system = temp.write("etc/site.toml", "");
    exam::SiteFileSources sources{flag, env, temp / "cwd", system};
    EXPECT_EQ(exam::locate_site_file(sources), flag);
    sources.flag.reset();
    EXPECT_EQ(exam::locate_site_file(sources), env);
    sources.environment.reset();
    EXPECT_EQ(exam::locate_site_file(sources), local);
    sources.working_directory = temp / "elsewhere";
    EXPECT_EQ(exam::locate_site_file(sources), system);
}

TEST_F(SiteLocator, AGivenFileMustExistEvenIfAnotherWould) {
    const auto local = temp.write("site.toml", "");
    exam::SiteFileSources sources{temp / "typo.toml", std::nullopt, temp.path(), temp / "none"};
    EXPECT_THROW((void)exam::locate_site_file(sources), exam::ConfigError);
    sources.flag.reset();
    sources.environment = temp / "typo.toml";
    EXPECT_THROW((void)exam::locate_site_file(sources), exam::ConfigError);
}

TEST_F(SiteLocator, NothingFoundSaysWhereItLookedAndWhatToDo) {
    exam::SiteFileSources sources{std::nullopt, std::nullopt, temp.path(), temp / "etc/site.toml"};
    try {
        (void)exam::locate_site_file(sources);
        FAIL() << "found something";
    } catch (const exam::ConfigError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("EXAM_SITE"), std::string::npos);
        EXPECT_NE(message.find((temp / "etc/site.toml").string()), std::string::npos);
        EXPECT_NE(message.find("--site"), std::string::npos);
    }
}

TEST_F(SiteLocator, UnreadableSiteFileIsAConfigError) {
    EXPECT_THROW((void)exam::load_site(temp / "absent.toml"), exam::ConfigError);
}

TEST(SiteLoaderErrors, AMisspeltRequiredKeyIsShownAtTheTypo) {
    expect_error_at(
        "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
        "timezon = \"Europe/Moscow\"\n",
        4, 1,
        "the site file is missing the required key \"timezone\"; is \"timezon\" here "
        "a misspelling of \"timezone\"?");
}

TEST(SiteLoaderErrors, AMisspeltRequiredKeyOfAnEntryIsShownAtTheTypo) {
    expect_error_at(k_header +
                        "[[room]]\nid = \"0101\"\n  [[room.camera]]\n  id = \"c1\"\n"
                        "  uir = \"rtsp://127.0.0.1/a\"\n",
                    9, 3, "missing the required key \"uri\"; is \"uir\" here a misspelling");
}

TEST(SiteLoaderErrors, AMissingKeyWithNoTypoIsShownAtItsTable) {
    expect_error_at("ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n", 1, 1,
                    "the site file is missing the required key \"timezone\"");
}

TEST(SiteLoaderErrors, AMisspeltRoomKindSuggestsTheRightOne) {
    expect_error_at(k_header + "[[room]]\nid = \"door\"\nkind = \"enterance\"\n", 7, 8,
                    "\"kind\" in [[room]] must be one of exam, hq, entrance; found \"enterance\"; "
                    "did you mean \"entrance\"?");
}

TEST(SiteLoaderErrors, AMisspeltExemptRoleSuggestsTheRightOne) {
    expect_error_at(k_header + "[journal]\nroster_exempt_roles = [\"police\", \"medik\"]\n", 6, 1,
                    "unknown role \"medik\"; did you mean \"medic\"?");
}

TEST(SiteLoader, AnUnreadableSiteFileIsAConfigErrorSayingWhy) {
    exam::testing::TempDir temp;
    try {
        (void)exam::load_site(temp / "site.toml");
        ADD_FAILURE() << "a missing site file was read";
    } catch (const exam::ConfigError& e) {
        EXPECT_NE(std::string{e.what()}.find("cannot read the site file \"" +
                                             (temp / "site.toml").string() +
                                             "\": No such file or directory; check the path"),
                  std::string::npos)
            << e.what();
    }
}

// Issue 11: values from a hostile or damaged site file are refused at load, at their line.

TEST(SiteLoaderRanges, DurationsNearTheTopOfTheRangeAreRefusedNotOverflowed) {
    const std::string exam =
        "[[exam]]\nid = \"m\"\ndate = 2026-06-01\nsubject = \"Maths\"\n"
        "start = \"10:00\"\n";
    expect_error_at(k_header + exam + "duration = \"9223372036854775807ms\"\n", 10, 1,
                    "\"duration\" in [[exam]] must be from 1m to 12h; found "
                    "\"9223372036854775807ms\"");
    expect_error_at(k_header + "[recording]\nafter_end = \"9223372036854775807ms\"\n", 6, 1,
                    "\"after_end\" in [recording] must be from 0s to 1d");
    expect_error_at(k_header + exam + "duration = \"3h\"\ncheck_lead = \"106751991167d\"\n", 11, 1,
                    "\"check_lead\" in [[exam]] must be from 0s to 1d");
}

TEST(SiteLoaderRanges, SizesAndRatesHaveTheirRanges) {
    expect_error_at(k_header + "[recording]\nreserve = \"20TiB\"\n", 6, 1,
                    "\"reserve\" in [recording] must be from 0 to ");
    const std::string camera =
        "[[room]]\nid = \"r\"\n[[room.camera]]\nid = \"c\"\n"
        "uri = \"test:\"\n";
    expect_error_at(k_header + camera + "fps = nan\n", 10, 1, "\"fps\" in [[room.camera]] must be");
    expect_error_at(k_header + camera + "fps = inf\n", 10, 1, "found inf");
    expect_error_at(k_header + camera + "width = 99999999999\nheight = 720\n", 10, 1,
                    "must be from 16 to 16384");
}

TEST(SiteLoaderRanges, CameraAddressesTheRecorderCannotReadAreRefused) {
    const std::string room = "[[room]]\nid = \"r\"\n[[room.camera]]\nid = \"c\"\n";
    const std::pair<std::string, std::string> cases[] = {
        {"ftp://x", "the scheme \"ftp:\" is not one the recorder reads"},
        {"rtsp://", "it has no host"},
        {"rtsp://[::1", "\"[::1\" is not HOST, HOST:PORT or [IPv6]:PORT"},
        {"rtsp://camera:99999/stream",
         "\"camera:99999\" is not HOST, HOST:PORT or [IPv6]:PORT, with a port from 1 to 65535"},
        {"rtsp://camera:-1/stream", "with a port from 1 to 65535"},
        {"rtsp://camera:/stream", "with a port from 1 to 65535"},
        {"rtsp:camera/stream", "must be followed by \"//\""},
        {"test:0x0", "the test camera is"},
        {"test:-640x480", "the test camera is"},
        {"test:641x480", "the test camera is"},
        {"test:99999999999x480", "the test camera is"},
        {"test:640x480@0", "the test camera is"},
        {"test:640x480@25fps", "the test camera is"},
        {"test:640x480@", "the test camera is"},
        {"file:", "needs the video file's path"},
        {"v4l2:", "needs the device"},
        {"rtsp://cam era/stream", "a space or a control character"},
        {"rtsp://camera/\\u001b[2J", "a space or a control character"},
        {"rtps://camera/stream", "did you mean \"rtsp\"?"},
    };
    for (const auto& [uri, fragment] : cases) {
        expect_error_at(k_header + room + "uri = \"" + uri + "\"\n", 9, 1, fragment);
    }
}

TEST(SiteLoaderRanges, CameraAddressesOfEveryKindTheRecorderReadsAreAccepted) {
    for (const std::string uri :
         {"rtsp://192.168.10.21:554/stream1", "rtsp://user:p%40ss@cam.local/s",
          "rtsp://[::1]:8554/x", "http://10.0.0.5/video.ts", "file:/srv/rehearsal/room1.mp4",
          "/srv/rehearsal/room1.mp4", "v4l2:/dev/video0?video_size=1280x720",
          "test:", "test:1280x720", "test:1280x720@25"}) {
        SCOPED_TRACE(uri);
        EXPECT_NO_THROW((void)exam::parse_site(
            k_header + "[[room]]\nid = \"r\"\n[[room.camera]]\nid = \"c\"\nuri = \"" + uri + "\"\n",
            "site.toml"));
    }
}

TEST(SiteLoaderRanges, ANulInAStringIsRefused) {
    expect_error_at(k_header + "[paths]\ndata = \"data\\u0000/../../etc\"\n", 6, 8,
                    "holds a NUL character");
}

TEST(SiteLoaderRanges, IdsThatDifferOnlyInCaseCollide) {
    expect_error_at(k_header + "[[room]]\nid = \"Front\"\n[[room]]\nid = \"front\"\n", 8, 1,
                    "room ids \"Front\" and \"front\" differ only in case");
    expect_error_at(k_header +
                        "[[room]]\nid = \"r\"\n[[room.camera]]\nid = \"Door\"\nuri = \"test:\"\n"
                        "[[room.camera]]\nid = \"door\"\nuri = \"test:\"\n",
                    11, 1, "camera ids \"Door\" and \"door\" differ only in case");
}

TEST(SiteLoaderNesting, DeepDottedKeysAreRefusedBeforeTheParserRecurses) {
    std::string deep = "a";
    for (int i = 0; i < 200'000; ++i) {
        deep += ".a";
    }
    // 200,000 levels crashed even the normal build inside toml++ (its stack); refused here at
    // the dot that goes one level too deep.
    expect_error_at(k_header + deep + " = 1\n", 5, 64, "nested more than 32 levels");
}

TEST(SiteLoaderNesting, DeepHeadersInlineTablesAndArraysAreRefused) {
    std::string header = "[a";
    for (int i = 0; i < 50'000; ++i) {
        header += ".a";
    }
    expect_error_at(k_header + header + "]\n", 5, 65, "nested more than");
    expect_error_at(k_header + "x = " + std::string(50'000, '[') + std::string(50'000, ']') + "\n",
                    5, 36, "nested more than");
    std::string inline_tables = "x = ";
    for (int i = 0; i < 50'000; ++i) {
        inline_tables += "{ a = ";
    }
    expect_error_at(k_header + inline_tables + "\n", 5, 99, "nested more than");
}

TEST(SiteLoaderNesting, BracketsAndDotsInStringsAndCommentsDoNotCount) {
    const std::string many = std::string(100, '[') + std::string(100, '.') + std::string(100, '{');
    const std::string literal = "'''exam'''";
    EXPECT_NO_THROW((void)exam::parse_site(k_header + "# " + many + "\n[[room]]\nid = \"r\"\n" +
                                               "label = \"" + many + "\"\nkind = " + literal + "\n",
                                           "site.toml"));
}

TEST(SiteLoaderRanges, AnNtpServerIsAHostWithAnOptionalPort) {
    expect_error_at(k_header + "[time]\nntp_server = \"ntp.example:99999\"\n", 6, 1,
                    "\"ntp_server\" must be HOST, HOST:PORT or [IPv6]:PORT");
    expect_error_at(k_header + "[time]\nntp_server = \"ntp example\"\n", 6, 1,
                    "found \"ntp example\"");
    for (const std::string server :
         {"ntp.rcoi.example", "10.0.0.1:123", "[::1]:1123", "[fe80::1]"}) {
        EXPECT_NO_THROW((void)exam::parse_site(
            k_header + "[time]\nntp_server = \"" + server + "\"\n", "site.toml"))
            << server;
    }
}

TEST(SiteLoader, SoundIsKeptUnlessTheSiteItsRoomOrItsCameraSaysNot) {
    const std::string rooms =
        "[[room]]\nid = \"0101\"\naudio = false\n"
        "[[room.camera]]\nid = \"a\"\nuri = \"rtsp://10.0.0.1/a\"\n"
        "[[room.camera]]\nid = \"b\"\nuri = \"rtsp://10.0.0.1/b\"\naudio = true\n"
        "[[room]]\nid = \"0102\"\n"
        "[[room.camera]]\nid = \"c\"\nuri = \"rtsp://10.0.0.1/c\"\n"
        "[[room.camera]]\nid = \"d\"\nuri = \"rtsp://10.0.0.1/d\"\naudio = false\n";
    const exam::Site site = exam::parse_site(k_header + rooms, "/srv/site.toml");
    const auto& first = site.rooms[0];
    const auto& second = site.rooms[1];
    EXPECT_FALSE(site.keeps_sound(first, first.cameras[0]));
    EXPECT_TRUE(site.keeps_sound(first, first.cameras[1]));
    EXPECT_TRUE(site.keeps_sound(second, second.cameras[0]));
    EXPECT_FALSE(site.keeps_sound(second, second.cameras[1]));
    const exam::Site silent =
        exam::parse_site(k_header + "[recording]\naudio = false\n" + rooms, "/srv/site.toml");
    EXPECT_FALSE(silent.keeps_sound(silent.rooms[1], silent.rooms[1].cameras[0]));
    EXPECT_TRUE(silent.keeps_sound(silent.rooms[0], silent.rooms[0].cameras[1]));
    expect_error_at(k_header + "[recording]\naudio = \"no\"\n", 6, 9, "audio");
}
