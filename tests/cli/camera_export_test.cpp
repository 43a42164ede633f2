// exam-camera export of recordings made by the real recorder against the RTSP fixture: the
// package is judged by coreutils' sha256sum, the journal by its own reader, and the failures
// (an altered segment, a kill, a full or read-only stick) by what they leave behind.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <exam/journal/journal.hpp>
#include <exam/recording/concat.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/time.hpp>

#include "support/background_process.hpp"
#include "support/recordings.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::BackgroundProcess;
using exam::testing::run_program;
using exam::testing::run_tool;
using namespace std::chrono_literals;

// One recording for the whole suite (recording takes seconds); each test works on a copy.
class CameraExport : public exam::testing::TempDirTest {
protected:
    static void SetUpTestSuite() {
        s_recorded = fs::temp_directory_path() / fmt::format("examkit-export-suite-{}", ::getpid());
        fs::remove_all(s_recorded);
        fs::create_directories(s_recorded);
        BackgroundProcess camera(
            {"/usr/bin/python3", EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
             "front=live"},
            s_recorded / "rtsp.log");
        const auto ready = camera.wait_for_line("READY ", 20s);
        ASSERT_TRUE(ready) << exam::testing::read_file(s_recorded / "rtsp.log");
        std::ofstream(s_recorded / "site.toml")
            << "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
               "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\nreserve = \"1MB\"\n"
               "[[room]]\nid = \"0101\"\n[[room.camera]]\nid = \"front\"\n"
               "uri = \"rtsp://127.0.0.1:"
            << ready->substr(6) << "/front\"\n";
        const std::vector<std::pair<std::string, std::string>> env{
            {"EXAM_SITE", (s_recorded / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
        const auto init =
            run_tool(EXAM_JOURNAL_BIN,
                     {.args = {"init"}, .working_directory = s_recorded, .environment = env});
        ASSERT_EQ(init.exit_code, 0) << init.standard_error;
        BackgroundProcess recorder(
            {EXAM_CAMERA_BIN, "--site", (s_recorded / "site.toml").string(), "record", "--all"},
            s_recorded / "record.log");
        // Four finished segments of 2 s: about 8 s of video.
        ASSERT_TRUE(exam::testing::eventually(
            [] { return exam::testing::indexed_segments(s_recorded / "recordings").size() >= 4; },
            60s))
            << exam::testing::read_file(s_recorded / "record.log");
        const int status = recorder.stop(10s);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
            << exam::testing::read_file(s_recorded / "record.log");
    }

    static void TearDownTestSuite() { fs::remove_all(s_recorded); }

    void SetUp() override {
        ASSERT_TRUE(fs::exists(s_recorded / "site.toml")) << "the suite's recording failed";
        fs::copy(s_recorded, temp.path(), fs::copy_options::recursive);
        m_env = {{"EXAM_SITE", (temp / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
        m_segments = exam::testing::indexed_segments(temp / "recordings");
        ASSERT_GE(m_segments.size(), 4u);
        m_from = exam::format_utc(m_segments.front().started - 1min);
        // The package's day folder is the range's first day on the site's clock (Moscow), not
        // in UTC: from 21:00 UTC on, the two differ.
        m_day =
            exam::format_local(
                exam::TimeZone::find("Europe/Moscow")->to_local(m_segments.front().started - 1min),
                exam::TimePrecision::minutes)
                .substr(0, 10);
        m_to = exam::format_utc(m_segments.back().ended + 1min);
    }

    exam::SubprocessResult export_to(const fs::path& out, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"export", "--from", m_from,  "--to",
                                      m_to,     "--all",  "--out", out.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_tool(EXAM_CAMERA_BIN,
                        {.args = args, .working_directory = temp.path(), .environment = m_env});
    }

    std::vector<std::string> export_argv(const fs::path& out) const {
        return {EXAM_CAMERA_BIN, "--site",    (temp / "site.toml").string(),
                "export",        "--from",    m_from,
                "--to",          m_to,        "--all",
                "--out",         out.string()};
    }

    // SHA256SUMS's lines of the recorded segments (the data files), path -> hash.
    static std::map<std::string, std::string> data_files(const fs::path& package) {
        std::map<std::string, std::string> found;
        std::istringstream lines(exam::testing::read_file(package / "SHA256SUMS"));
        std::string line;
        while (std::getline(lines, line)) {
            const std::string path = line.substr(66);
            if (path.ends_with(".mp4")) {
                found[path] = line.substr(0, 64);
            }
        }
        return found;
    }

    std::vector<exam::JournalEntry> export_entries() const {
        auto journal = exam::Journal::open_read_only(temp / "data/journal.sqlite");
        std::vector<exam::JournalEntry> found;
        exam::for_each_entry(journal.database(), [&](const exam::JournalEntry& entry, const auto&) {
            if (entry.kind == exam::EntryKind::export_video) {
                found.push_back(entry);
            }
        });
        return found;
    }

    // Every file under `folder` whose name is final (not .part): each must be a verified copy.
    static std::vector<fs::path> files_under(const fs::path& folder) {
        std::vector<fs::path> found;
        for (const auto& entry : fs::recursive_directory_iterator(folder)) {
            if (entry.is_regular_file()) {
                found.push_back(entry.path());
            }
        }
        return found;
    }

    // `unfinished_allowed`: a stick pulled out mid-copy keeps the .part it was writing.
    void expect_only_verified_copies(const fs::path& folder, bool unfinished_allowed = false) {
        std::map<std::string, std::string> recorded;
        for (const auto& segment : m_segments) {
            recorded[fs::path(segment.file).filename().string()] = segment.sha256;
        }
        for (const auto& file : files_under(folder)) {
            EXPECT_TRUE(unfinished_allowed || file.extension() != ".part") << file;
            EXPECT_NE(file.filename(), "manifest.json") << file;
            EXPECT_NE(file.filename(), "SHA256SUMS") << file;
            if (file.extension() == ".mp4") {
                EXPECT_EQ(exam::to_hex(exam::sha256_file(file)), recorded[file.filename().string()])
                    << file;
            }
        }
    }

    static inline fs::path s_recorded;
    std::vector<std::pair<std::string, std::string>> m_env;
    std::vector<exam::SegmentRecord> m_segments;
    std::string m_from;
    std::string m_day;  // yyyy-mm-dd of m_from on the site's clock
    std::string m_to;
};

}  // namespace

TEST_F(CameraExport, PackagePassesSha256sumAndTheExportIsJournalled) {
    const auto result = export_to(temp / "stick");
    ASSERT_EQ(result.exit_code, 0) << result.standard_error << result.standard_output;
    const auto check = run_program({"sha256sum", "-c", "--strict", "SHA256SUMS"}, temp / "stick");
    EXPECT_EQ(check.exit_code, 0) << check.standard_output << check.standard_error;

    const auto data = data_files(temp / "stick");
    ASSERT_EQ(data.size(), m_segments.size());
    for (const auto& segment : m_segments) {
        const std::string path =
            "77-0001/" + m_day + "/0101/front/" + fs::path(segment.file).filename().string();
        ASSERT_TRUE(data.contains(path)) << path;
        EXPECT_EQ(data.at(path), segment.sha256) << path;
    }
    for (const char* name : {"README.html", "manifest.json", "manifest.sig"}) {
        EXPECT_TRUE(fs::exists(temp / "stick" / name)) << name;
    }
    EXPECT_FALSE(fs::exists(temp / "stick/.examkit-export.json"));

    const auto manifest =
        nlohmann::json::parse(exam::testing::read_file(temp / "stick/manifest.json"));
    EXPECT_EQ(manifest["exported_by"], "Technician");
    const auto entries = export_entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].actor.value_or(""), "Technician");
    EXPECT_EQ(entries[0].camera.value_or(""), "front");
    const std::string manifest_sha256 =
        exam::to_hex(exam::sha256_file(temp / "stick/manifest.json"));
    ASSERT_TRUE(entries[0].note);
    EXPECT_NE(entries[0].note->find("manifest sha256 " + manifest_sha256), std::string::npos)
        << *entries[0].note;
    EXPECT_NE(entries[0].note->find(fs::absolute(temp / "stick").string()), std::string::npos)
        << *entries[0].note;
}

TEST_F(CameraExport, ASegmentAlteredOnDiskIsReportedAndNotExportedAsGood) {
    const auto& victim = m_segments[1];
    {
        std::fstream file(temp / "recordings" / victim.file,
                          std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(victim.bytes / 2));
        file.put('\x5a');
    }
    const auto result = export_to(temp / "stick");
    EXPECT_EQ(result.exit_code, 2) << result.standard_error;
    EXPECT_NE(result.standard_output.find("ALTERED"), std::string::npos) << result.standard_output;
    EXPECT_NE(result.standard_output.find(victim.file), std::string::npos)
        << result.standard_output;
    EXPECT_NE(result.standard_output.find(victim.sha256), std::string::npos)
        << result.standard_output;
    const std::string name = fs::path(victim.file).filename().string();
    for (const auto& [path, hash] : data_files(temp / "stick")) {
        EXPECT_FALSE(path.ends_with(name)) << "the altered segment was exported: " << path;
    }
    const auto check = run_program({"sha256sum", "-c", "--strict", "SHA256SUMS"}, temp / "stick");
    EXPECT_EQ(check.exit_code, 0) << check.standard_output;
    const std::string manifest = exam::testing::read_file(temp / "stick/manifest.json");
    EXPECT_NE(manifest.find("altered since it was recorded"), std::string::npos);
}

TEST_F(CameraExport, AnExportKilledMidwayResumesToTheSameFilesAndHashes) {
    const auto uninterrupted = export_to(temp / "whole");
    ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.standard_error;

    // The second segment becomes a FIFO: the export copies the first, records it as verified,
    // then waits on the FIFO, where it is killed — a deterministic "midway".
    const fs::path second = temp / "recordings" / m_segments[1].file;
    fs::rename(second, temp / "second.mp4");
    ASSERT_EQ(::mkfifo(second.c_str(), 0644), 0);
    BackgroundProcess exporter(export_argv(temp / "stick"), temp / "export.log");
    ASSERT_TRUE(exam::testing::eventually(
        [&] {
            std::error_code missing;
            return fs::exists(temp / "stick/.examkit-export.json", missing);
        },
        30s))
        << exam::testing::read_file(temp / "export.log");
    exporter.kill_now();
    fs::remove(second);
    fs::rename(temp / "second.mp4", second);
    EXPECT_FALSE(fs::exists(temp / "stick/manifest.json"));

    const auto refused = export_to(temp / "stick");
    EXPECT_EQ(refused.exit_code, 64) << refused.standard_error;
    EXPECT_NE(refused.standard_error.find("--resume"), std::string::npos) << refused.standard_error;

    const auto resumed = export_to(temp / "stick", {"--resume"});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.standard_error;
    EXPECT_NE(resumed.standard_error.find("already verified"), std::string::npos)
        << resumed.standard_error;
    EXPECT_EQ(data_files(temp / "stick"), data_files(temp / "whole"));
    const auto check = run_program({"sha256sum", "-c", "--strict", "SHA256SUMS"}, temp / "stick");
    EXPECT_EQ(check.exit_code, 0) << check.standard_output;
    EXPECT_FALSE(fs::exists(temp / "stick/.examkit-export.json"));
}

TEST_F(CameraExport, AFullDestinationFailsWithNothingUnverifiedUnderAFinalName) {
    std::uint64_t recorded = 0;
    for (const auto& segment : m_segments) {
        recorded += segment.bytes;
    }
    exam::testing::ScopedTmpfs stick(temp / "stick", "1m");
    ASSERT_TRUE(stick.mounted());
    const auto result = export_to(temp / "stick");
    EXPECT_EQ(result.exit_code, 74) << result.standard_error;
    EXPECT_TRUE(result.standard_error.find("free") != std::string::npos ||
                result.standard_error.find("full") != std::string::npos)
        << result.standard_error;
    expect_only_verified_copies(temp / "stick");
    EXPECT_GT(recorded, 0u);
}

TEST_F(CameraExport, AReadOnlyDestinationFailsSayingSo) {
    fs::create_directories(temp / "stick");
    ASSERT_EQ(::mount("tmpfs", (temp / "stick").c_str(), "tmpfs", MS_RDONLY, nullptr), 0);
    const auto result = export_to(temp / "stick");
    ::umount((temp / "stick").c_str());
    EXPECT_EQ(result.exit_code, 74) << result.standard_error;
    EXPECT_NE(result.standard_error.find("read-only"), std::string::npos) << result.standard_error;
    expect_only_verified_copies(temp / "stick");
}

// The stick pulled out mid-copy: a FUSE file system whose daemon kills itself in the middle of a
// write (tests/fixtures/vanishing_stick.py), leaving a mount whose every access fails with
// "Transport endpoint is not connected". Plugged in again, the export resumes.
class PluggedStick {
public:
    PluggedStick(const fs::path& backing, const fs::path& mountpoint, const fs::path& log,
                 std::optional<std::uint64_t> vanish_after = std::nullopt)
        : m_mountpoint(mountpoint) {
        fs::create_directories(backing);
        fs::create_directories(mountpoint);
        std::vector<std::string> argv{"/usr/bin/python3",
                                      EXAM_SOURCE_DIR "/tests/fixtures/vanishing_stick.py",
                                      backing.string(), mountpoint.string()};
        if (vanish_after) {
            argv.insert(argv.end(), {"--vanish-after", std::to_string(*vanish_after)});
        }
        m_daemon = std::make_unique<BackgroundProcess>(argv, log);
        m_ready = m_daemon->wait_for_line("READY", 20s).has_value();
    }
    ~PluggedStick() {
        m_daemon.reset();
        ::umount2(m_mountpoint.c_str(), MNT_DETACH);
    }
    PluggedStick(const PluggedStick&) = delete;
    PluggedStick& operator=(const PluggedStick&) = delete;
    [[nodiscard]] bool ready() const { return m_ready; }

private:
    fs::path m_mountpoint;
    std::unique_ptr<BackgroundProcess> m_daemon;
    bool m_ready = false;
};

TEST_F(CameraExport, AStickPulledOutMidCopyFailsSayingSoAndResumesWhenPluggedInAgain) {
    std::uint64_t recorded = 0;
    for (const auto& segment : m_segments) {
        recorded += segment.bytes;
    }
    {
        // Pulled out once about half the recording has been copied.
        const PluggedStick stick(temp / "backing", temp / "stick", temp / "stick.log",
                                 recorded / 2);
        ASSERT_TRUE(stick.ready()) << exam::testing::read_file(temp / "stick.log");
        const auto pulled = export_to(temp / "stick");
        EXPECT_EQ(pulled.exit_code, 74) << pulled.standard_error;
        EXPECT_NE(pulled.standard_error.find((temp / "stick").string()), std::string::npos)
            << pulled.standard_error;
        EXPECT_NE(pulled.standard_error.find("not connected"), std::string::npos)
            << pulled.standard_error;
    }
    // What reached the stick: verified copies and perhaps the file being written, no manifest.
    expect_only_verified_copies(temp / "backing", true);

    const PluggedStick again(temp / "backing", temp / "stick", temp / "stick-again.log");
    ASSERT_TRUE(again.ready()) << exam::testing::read_file(temp / "stick-again.log");
    const auto resumed = export_to(temp / "stick", {"--resume"});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.standard_error;
    const auto check = run_program({"sha256sum", "-c", "--strict", "SHA256SUMS"}, temp / "stick");
    EXPECT_EQ(check.exit_code, 0) << check.standard_output;
    EXPECT_EQ(data_files(temp / "stick").size(), m_segments.size());
}

TEST_F(CameraExport, AFolderWithOtherFilesIsRefused) {
    temp.write("stick/notes.txt", "mine");
    const auto result = export_to(temp / "stick");
    EXPECT_EQ(result.exit_code, 64) << result.standard_error;
    EXPECT_NE(result.standard_error.find("other files"), std::string::npos)
        << result.standard_error;
    EXPECT_EQ(exam::testing::read_file(temp / "stick/notes.txt"), "mine");
}

TEST_F(CameraExport, ConcatJoinsTheRecordingIntoOnePlayableFileAndTheWholePackageVerifies) {
    const auto result = export_to(temp / "stick", {"--concat"});
    ASSERT_EQ(result.exit_code, 0) << result.standard_error << result.standard_output;
    const fs::path folder = temp / "stick/77-0001" / m_day / "0101/front";
    std::vector<fs::path> parts;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.path().filename().string().starts_with("front_")) {
            parts.push_back(entry.path());
        }
    }
    std::sort(parts.begin(), parts.end());
    // One part per stretch without a gap longer than a part keeps (on a loaded machine the
    // fixture camera may drop the recorder for a few seconds: that gap starts a new part), each
    // from its first keyframe to its last picture: together they play for the recorded time.
    std::size_t stretches = 1;
    auto stretch_start = m_segments.front().started;
    double recorded = 0;
    for (std::size_t i = 1; i < m_segments.size(); ++i) {
        if (m_segments[i].started - m_segments[i - 1].ended > exam::k_longest_gap_within_a_part) {
            recorded +=
                std::chrono::duration<double>(m_segments[i - 1].ended - stretch_start).count();
            stretch_start = m_segments[i].started;
            ++stretches;
        }
    }
    recorded += std::chrono::duration<double>(m_segments.back().ended - stretch_start).count();
    std::string timeline;
    for (const auto& segment : m_segments) {
        timeline += fmt::format("{} .. {}\n", exam::format_utc(segment.started),
                                exam::format_utc(segment.ended));
    }
    ASSERT_EQ(parts.size(), stretches) << timeline << result.standard_error;
    double played = 0;
    for (const auto& part : parts) {
        const auto probe = run_program({"ffprobe", "-v", "error", "-show_entries",
                                        "format=duration", "-of", "csv=p=0", part.string()},
                                       temp.path());
        ASSERT_EQ(probe.exit_code, 0) << probe.standard_error;
        played += std::stod(probe.standard_output);
        const auto decode = run_program(
            {"ffmpeg", "-v", "error", "-i", part.string(), "-f", "null", "-"}, temp.path());
        EXPECT_EQ(decode.exit_code, 0);
        EXPECT_EQ(decode.standard_error, "") << part;
    }
    EXPECT_NEAR(played, recorded, 1.0 * static_cast<double>(stretches));
    const auto sheet = run_program({"ffprobe", "-v", "error", "-show_entries", "stream=codec_name",
                                    "-of", "csv=p=0", (folder / "contact-sheet.jpg").string()},
                                   temp.path());
    EXPECT_EQ(sheet.standard_output, "mjpeg\n") << sheet.standard_error;

    // At the exam point verify takes the site's own key: a sound package exits 0.
    const auto verify = run_tool(EXAM_CAMERA_BIN, {.args = {"verify", (temp / "stick").string()},
                                                   .working_directory = temp.path(),
                                                   .environment = m_env});
    EXPECT_EQ(verify.exit_code, 0) << verify.standard_output << verify.standard_error;
    const auto check = run_program({"sha256sum", "-c", "--strict", "SHA256SUMS"}, temp / "stick");
    EXPECT_EQ(check.exit_code, 0) << check.standard_output << check.standard_error;
    EXPECT_FALSE(fs::exists(temp / "data/export-staging"));
}
