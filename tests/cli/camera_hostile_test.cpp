// exam-camera record beside hostile RTSP cameras (tests/fixtures/hostile_camera.py): whatever a
// camera sends, it costs that camera only — the healthy camera's segments are indexed and play,
// the hostile one's outage is a gap that says why, and the recorder's memory stays bounded.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <exam/recording/segment_index.hpp>
#include <exam/util/error.hpp>
#include <exam/util/subprocess.hpp>

#include "support/background_process.hpp"
#include "support/recordings.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::BackgroundProcess;
using exam::testing::read_file;
using namespace std::chrono_literals;

// Well above what the recorder allocates for a few cameras (about 50 MB; under ASan, whose
// shadow memory counts, about 240 MB since stop 26 — it was 135 MB with one camera before, the
// growth is ASan's alone: the normal build's recorder holds 22 MB, see docs/PERFORMANCE.md),
// below what an unbounded buffer adds once two hostile cameras have sent 64 MiB each on one
// connection (the test waits for that; the defect reached 1.7 GB).
#if defined(__SANITIZE_ADDRESS__)
constexpr long k_memory_bound_kb = 400 * 1024;
#else
constexpr long k_memory_bound_kb = 120 * 1024;
#endif

// The memory a running process has allocated and touched, from /proc (0 once it has gone).
// Anonymous memory only: the pages of its mapped code count in its resident size too, and
// under ASan they alone are 250 MB, growing with every feature the library gains.
long allocated_memory_kb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("RssAnon:")) {
            return std::stol(line.substr(8));
        }
    }
    return 0;
}

class HostileCamera : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        m_fixture = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"/usr/bin/env", "python3",
                                     EXAM_SOURCE_DIR "/tests/fixtures/hostile_camera.py", "--rate",
                                     "40"},
            temp / "hostile.log");
        const auto ready = m_fixture->wait_for_line("READY ", 20s);
        ASSERT_TRUE(ready) << read_file(temp / "hostile.log");
        m_port = ready->substr(6);
        m_env = {{"EXAM_SITE", (temp / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
    }

    // A site of the healthy built-in test camera `front` and one hostile camera per mode,
    // each named after its mode; the journal the recorder needs.
    void write_site(const std::vector<std::string>& modes) {
        std::string site =
            "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
            "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"2s\"\nwatchdog = \"3s\"\n"
            "reserve = \"1MB\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\nid = \"front\"\n"
            "uri = \"test:160x120@10\"\n";
        for (const std::string& mode : modes) {
            site += "[[room.camera]]\nid = \"" + mode + "\"\nuri = \"rtsp://127.0.0.1:" + m_port +
                    "/" + mode + "\"\n";
        }
        temp.write("site.toml", site);
        const auto init = exam::testing::run_tool(
            EXAM_JOURNAL_BIN,
            {.args = {"init"}, .working_directory = temp.path(), .environment = m_env});
        ASSERT_EQ(init.exit_code, 0) << init.standard_error;
    }

    [[nodiscard]] std::vector<exam::SegmentRecord> indexed() const {
        return exam::testing::indexed_segments(temp / "recordings");
    }

    [[nodiscard]] std::vector<exam::GapRecord> gaps() const {
        return exam::SegmentIndex::open_read_only(exam::SegmentIndex::file_in(temp / "recordings"))
            .gaps();
    }

    // Runs the recorder until `done` holds (or 40 s pass), its peak memory watched all along;
    // stops it and expects a clean exit. The peak in kB.
    long record_until(const std::function<bool()>& done) {
        // Under ASan, freed memory waits in a quarantine of 256 MB before it is reused, and
        // would count as the recorder's own: a small one keeps the bound about the recorder.
        // (env execs the recorder: its process id is the recorder's.)
        const char* sanitizer = std::getenv("ASAN_OPTIONS");
        BackgroundProcess recorder(
            {"/usr/bin/env",
             "ASAN_OPTIONS=" + std::string{sanitizer ? sanitizer : ""} + ":quarantine_size_mb=16",
             EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(), "record", "--all"},
            temp / "record.log");
        long peak = 0;
        const bool finished = exam::testing::eventually(
            [&] {
                peak = std::max(peak, allocated_memory_kb(recorder.pid()));
                return peak > k_memory_bound_kb || done();
            },
            40s);
        EXPECT_TRUE(finished) << read_file(temp / "record.log") << read_file(temp / "hostile.log");
        const int status = recorder.stop(10s);
        // The hostile cameras never gave a picture: 69, not a crash (docs/exit-codes.md).
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 69)
            << "the recorder died: " << read_file(temp / "record.log");
        return peak;
    }

    [[nodiscard]] bool logged(const std::string& text) const {
        return read_file(temp / "record.log").find(text) != std::string::npos;
    }

    // The healthy camera's segments: indexed, and each plays.
    void expect_front_recorded() const {
        std::size_t front = 0;
        for (const auto& segment : indexed()) {
            if (segment.camera != "front") {
                continue;
            }
            ++front;
            exam::SubprocessRequest probe;
            probe.argv = {"ffprobe",         "-v",
                          "error",           "-show_entries",
                          "format=duration", (temp / "recordings" / segment.file).string()};
            probe.timeout = 60s;
            const auto result = exam::run_subprocess(probe);
            EXPECT_EQ(result.exit_code, 0) << segment.file << result.standard_error;
        }
        EXPECT_GE(front, 1u) << read_file(temp / "record.log");
    }

    // The gap of camera `id`'s outage, which says why.
    void expect_gap(const std::string& id, const std::string& reason) const {
        bool found = false;
        for (const auto& gap : gaps()) {
            if (gap.camera == id) {
                found = true;
                EXPECT_NE(gap.reason.find(reason), std::string::npos) << id << ": " << gap.reason;
            }
        }
        EXPECT_TRUE(found) << id << " has no gap\n" << read_file(temp / "record.log");
    }

    std::unique_ptr<BackgroundProcess> m_fixture;
    std::string m_port;
    std::vector<std::pair<std::string, std::string>> m_env;
};

}  // namespace

// Issue 11 item 1: "Session: 42;timeout=5000000" overflowed the keep-alive's arithmetic, and
// under UBSan the whole recorder died within a second, the healthy camera's segments unindexed.
TEST_F(HostileCamera, AHugeSessionTimeoutCostsThatCameraNothingAndTheOthersRecordOn) {
    write_site({"huge-timeout"});
    record_until([&] {
        const auto segments = indexed();
        return logged("huge-timeout: no picture") &&
               std::any_of(segments.begin(), segments.end(),
                           [](const auto& segment) { return segment.camera == "front"; });
    });
    // The camera played and was kept alive; it sent no picture, which is its gap.
    EXPECT_NE(read_file(temp / "hostile.log").find("CLIENT huge-timeout"), std::string::npos);
    expect_front_recorded();
    expect_gap("huge-timeout", "the camera sent nothing for 3s");
}

// Issue 11 item 10: a fragment that never ends, a picture never closed by a marker, video
// instead of DESCRIBE's reply, a reply's head that never ends or a body of absurd length grew
// the recorder by up to 100 MB a second until the watchdog fired. Each is bounded now, and
// each camera's gap says which limit it crossed.
TEST_F(HostileCamera, CamerasThatWouldFillMemoryAreCutOffAndTheRecorderStaysSmall) {
    const std::vector<std::string> modes{"endless-fragment", "never-marked",
                                         "frames-before-describe", "endless-head", "huge-body"};
    write_site(modes);
    const auto fixture_sent = [&](const std::string& mode, int mib) {
        return read_file(temp / "hostile.log").find("SENT " + mode + " " + std::to_string(mib)) !=
               std::string::npos;
    };
    const long peak = record_until([&] {
        // Every hostile camera reported, and enough sent that a buffer without a bound would
        // be far past the access unit's limit.
        for (const auto& mode : modes) {
            if (!logged(mode + ": no picture")) {
                return false;
            }
        }
        return fixture_sent("endless-fragment", 64) && fixture_sent("never-marked", 64) &&
               !indexed().empty();
    });
    RecordProperty("peak_memory_kb", std::to_string(peak));
    EXPECT_LT(peak, k_memory_bound_kb) << "the recorder grew to " << peak / 1024 << " MB";
    expect_front_recorded();
    expect_gap("endless-fragment", "pictures larger than 8 MiB, dropped as garbage");
    expect_gap("never-marked", "pictures larger than 8 MiB, dropped as garbage");
    expect_gap("frames-before-describe",
               "the camera sent more than 1 MiB of video instead of answering DESCRIBE");
    expect_gap("endless-head", "longer than an RTSP reply can be here (headers up to 16 KiB");
    expect_gap("huge-body", "longer than an RTSP reply can be here");
}
