// exam-camera record against cameras that offer RTP over UDP only (GStreamer's RTSP server
// restricted to UDP, tests/fixtures/rtsp_camera.py): every frame recorded, the network's
// losses in the index, nobody else's datagrams in the evidence; a camera that offers no
// transport we speak, and any camera that never gave a picture, end the run with 69.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <regex>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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
using exam::testing::run_program;
using namespace std::chrono_literals;

// The SSRC the camera's shared media sends with, as its SETUP over UDP says it.
std::string camera_ssrc(const std::string& port, const std::string& mount) {
    const std::string script =
        "import socket,sys\n"
        "s=socket.create_connection(('127.0.0.1'," +
        port +
        "))\n"
        "def ask(t):\n"
        "    s.sendall(t.encode()); d=b''\n"
        "    while b'\\r\\n\\r\\n' not in d: d+=s.recv(65536)\n"
        "    return d.decode()\n"
        "ask('DESCRIBE rtsp://127.0.0.1:" +
        port + "/" + mount +
        " RTSP/1.0\\r\\nCSeq: 1\\r\\n\\r\\n')\n"
        "print(ask('SETUP rtsp://127.0.0.1:" +
        port + "/" + mount +
        "/stream=0 RTSP/1.0\\r\\nCSeq: 2\\r\\nTransport: "
        "RTP/AVP;unicast;client_port=9-10\\r\\n\\r\\n'))\n";
    const auto asked = run_program({"/usr/bin/python3", "-c", script});
    std::smatch found;
    const std::regex ssrc{"ssrc=([0-9A-Fa-f]+)"};
    return std::regex_search(asked.standard_output, found, ssrc) ? found[1].str() : std::string{};
}

// The UDP ports a process has bound, from /proc/net/udp and its descriptors' socket inodes.
std::vector<std::uint16_t> udp_ports_of(pid_t pid) {
    std::vector<std::string> inodes;
    std::error_code ignored;
    for (const auto& entry :
         fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ignored)) {
        const std::string target = fs::read_symlink(entry.path(), ignored).string();
        if (target.starts_with("socket:[")) {
            inodes.push_back(target.substr(8, target.size() - 9));
        }
    }
    std::vector<std::uint16_t> ports;
    std::ifstream table("/proc/net/udp");
    std::string line;
    std::getline(table, line);  // the heading
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
        fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
            timeout >> inode;
        if (std::find(inodes.begin(), inodes.end(), inode) != inodes.end()) {
            ports.push_back(static_cast<std::uint16_t>(
                std::stoul(local.substr(local.find(':') + 1), nullptr, 16)));
        }
    }
    return ports;
}

class CameraUdp : public exam::testing::TempDirTest {
protected:
    // Serves the fixture's `kind` as camera `id`, beside any `others` (id = uri), in a site
    // with segments of `segment`; the journal the recorder needs.
    void serve(const std::string& id, const std::string& kind,
               const std::vector<std::pair<std::string, std::string>>& others = {},
               const std::string& segment = "2s") {
        m_camera = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"/usr/bin/python3",
                                     EXAM_SOURCE_DIR "/tests/fixtures/rtsp_camera.py", "--mount",
                                     id + "=" + kind},
            temp / "camera.log");
        const auto ready = m_camera->wait_for_line("READY ", 20s);
        ASSERT_TRUE(ready) << read_file(temp / "camera.log");
        m_port = ready->substr(6);
        std::string site =
            "ppe_code = \"0001\"\nregion = \"77\"\nname = \"School\"\n"
            "timezone = \"Europe/Moscow\"\n[recording]\nsegment = \"" +
            segment +
            "\"\nreserve = \"1MB\"\nwatchdog = \"4s\"\n[[room]]\nid = \"0101\"\n"
            "[[room.camera]]\nid = \"" +
            id + "\"\nuri = \"rtsp://127.0.0.1:" + m_port + "/" + id + "\"\n";
        for (const auto& [other, uri] : others) {
            site += "[[room.camera]]\nid = \"" + other + "\"\nuri = \"" + uri + "\"\n";
        }
        temp.write("site.toml", site);
        m_env = {{"EXAM_SITE", (temp / "site.toml").string()}, {"EXAM_ACTOR", "Technician"}};
        const auto init = exam::testing::run_tool(
            EXAM_JOURNAL_BIN,
            {.args = {"init"}, .working_directory = temp.path(), .environment = m_env});
        ASSERT_EQ(init.exit_code, 0) << init.standard_error;
    }

    std::unique_ptr<BackgroundProcess> start_recorder() const {
        return std::make_unique<BackgroundProcess>(
            std::vector<std::string>{EXAM_CAMERA_BIN, "--site", (temp / "site.toml").string(),
                                     "record", "--all"},
            temp / "record.log");
    }

    [[nodiscard]] exam::SegmentIndex index() const {
        return exam::SegmentIndex::open_read_only(exam::SegmentIndex::file_in(temp / "recordings"));
    }
    [[nodiscard]] std::vector<exam::SegmentRecord> indexed() const {
        return exam::testing::indexed_segments(temp / "recordings");
    }
    [[nodiscard]] bool logged(const std::string& text) const {
        return read_file(temp / "record.log").find(text) != std::string::npos;
    }

    // Every segment decodes without an error, to the frames the index claims, at 25 frames a
    // second of its media time: no frame lost, none added.
    void expect_every_frame(const std::vector<exam::SegmentRecord>& segments) const {
        for (const auto& segment : segments) {
            const std::string file = (temp / "recordings" / segment.file).string();
            const auto decoded =
                run_program({"ffmpeg", "-v", "error", "-i", file, "-f", "null", "-"});
            EXPECT_EQ(decoded.exit_code, 0) << segment.file;
            EXPECT_EQ(decoded.standard_error.substr(0, 600), "") << segment.file;
            const auto probe = run_program(
                {"ffprobe", "-v", "error", "-count_frames", "-count_packets", "-show_entries",
                 "stream=nb_read_frames,nb_read_packets", "-of", "json", file});
            ASSERT_EQ(probe.exit_code, 0) << probe.standard_error;
            const auto stream = nlohmann::json::parse(probe.standard_output)["streams"][0];
            const auto frames = std::stoull(stream["nb_read_frames"].get<std::string>());
            EXPECT_EQ(frames, segment.frames) << segment.file;
            EXPECT_EQ(std::stoull(stream["nb_read_packets"].get<std::string>()), frames);
            const auto expected = (segment.media_end_ms - segment.media_start_ms) / 40 + 1;
            // A frame either way: a live source's first or last may straddle the cut.
            EXPECT_NEAR(static_cast<double>(frames), static_cast<double>(expected), 1.0)
                << segment.file;
        }
    }

    std::unique_ptr<BackgroundProcess> m_camera;
    std::string m_port;
    std::vector<std::pair<std::string, std::string>> m_env;
};

}  // namespace

TEST_F(CameraUdp, AUdpOnlyCameraIsRecordedWithEveryFrame) {
    serve("hall", "udp");
    const auto recorder = start_recorder();
    ASSERT_TRUE(exam::testing::eventually([&] { return indexed().size() >= 3; }, 60s))
        << read_file(temp / "record.log");
    const int status = recorder->stop(10s);
    const std::string log = read_file(temp / "record.log");
    ASSERT_TRUE(WIFEXITED(status)) << log;
    EXPECT_EQ(WEXITSTATUS(status), 0) << log;
    // Said once, and no gap: recorded from the first connection on.
    const std::string said = "hall: the camera offers no RTP over TCP: recorded over RTP/UDP";
    ASSERT_NE(log.find(said), std::string::npos) << log;
    EXPECT_EQ(log.find(said, log.find(said) + 1), std::string::npos) << log;
    EXPECT_TRUE(index().gaps().empty()) << log;
    expect_every_frame(indexed());
}

TEST_F(CameraUdp, ACameraThatLosesPacketsIsRecordedWithItsDamagedSecondsInTheIndex) {
    serve("hall", "udp-drop");  // one RTP packet in a hundred dropped
    const auto recorder = start_recorder();
    ASSERT_TRUE(exam::testing::eventually(
        [&] {
            try {
                return indexed().size() >= 2 && !index().damage("hall").empty();
            } catch (const exam::Error&) {
                return false;
            }
        },
        60s))
        << read_file(temp / "record.log");
    const int status = recorder->stop(10s);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(temp / "record.log");
    const auto damage = index().damage("hall");
    ASSERT_FALSE(damage.empty());
    std::uint64_t lost = 0;
    for (const auto& row : damage) {
        EXPECT_EQ(row.room, "0101");
        EXPECT_GT(row.packets_lost, 0u);
        EXPECT_LT(row.started, row.ended);
        lost += row.packets_lost;
    }
    // The damaged seconds lie within the recording.
    const auto segments = indexed();
    EXPECT_GE(damage.front().started + 1s, segments.front().started);
    EXPECT_GT(lost, 0u);
}

TEST_F(CameraUdp, DatagramsFromAnotherPortAreNotRecorded) {
    serve("hall", "udp");
    const auto recorder = start_recorder();
    ASSERT_TRUE(exam::testing::eventually([&] { return logged("hall: recording"); }, 30s))
        << read_file(temp / "record.log");
    // Asked while the recorder plays it: the camera's one shared media, the recorder's SSRC.
    const std::string ssrc = camera_ssrc(m_port, "hall");
    ASSERT_EQ(ssrc.size(), 8u) << "the fixture's SETUP named no SSRC";
    const std::uint32_t own_ssrc = static_cast<std::uint32_t>(std::stoul(ssrc, nullptr, 16));
    const std::vector<std::uint16_t> ports = udp_ports_of(recorder->pid());
    ASSERT_FALSE(ports.empty()) << "the recorder has no UDP socket";

    // A stranger on the network sprays RTP with the camera's SSRC at every port the recorder
    // listens on: IDR slices marked as whole pictures, their bytes easy to find in a file.
    std::atomic<bool> spraying{true};
    std::atomic<std::uint64_t> sprayed{0};
    std::thread stranger([&] {
        const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        std::vector<std::uint8_t> packet{0x80,
                                         0x80 | 96,
                                         0,
                                         0,
                                         0,
                                         0,
                                         0,
                                         0,
                                         static_cast<std::uint8_t>(own_ssrc >> 24),
                                         static_cast<std::uint8_t>(own_ssrc >> 16),
                                         static_cast<std::uint8_t>(own_ssrc >> 8),
                                         static_cast<std::uint8_t>(own_ssrc),
                                         0x65};
        const std::string mark = "INJECTED-PICTURE";
        for (int i = 0; i < 40; ++i) {
            packet.insert(packet.end(), mark.begin(), mark.end());
        }
        for (std::uint32_t n = 0; spraying.load(); ++n) {
            for (const std::uint16_t port : ports) {
                // Sequence numbers all over the range: some land just ahead of the camera's.
                const std::uint32_t sequence = n * 40503U;
                packet[2] = static_cast<std::uint8_t>(sequence >> 8);
                packet[3] = static_cast<std::uint8_t>(sequence);
                packet[4] = static_cast<std::uint8_t>(n >> 16);
                sockaddr_in to{};
                to.sin_family = AF_INET;
                to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                to.sin_port = htons(port);
                if (::sendto(fd, packet.data(), packet.size(), 0,
                             reinterpret_cast<const sockaddr*>(&to), sizeof to) > 0) {
                    ++sprayed;
                }
            }
            std::this_thread::sleep_for(2ms);
        }
        ::close(fd);
    });
    const std::size_t before = indexed().size();
    const bool recorded =
        exam::testing::eventually([&] { return indexed().size() >= before + 3; }, 60s);
    spraying = false;
    stranger.join();
    const int status = recorder->stop(10s);
    ASSERT_TRUE(recorded) << read_file(temp / "record.log");
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(temp / "record.log");
    EXPECT_GT(sprayed.load(), 1000u);

    // Every segment holds the camera's frames and only those, and decodes clean.
    const auto segments = indexed();
    expect_every_frame(segments);
    for (const auto& segment : segments) {
        std::ifstream file(temp / "recordings" / segment.file, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(file), {}};
        EXPECT_EQ(bytes.find("INJECTED-PICTURE"), std::string::npos) << segment.file;
    }
    EXPECT_TRUE(index().damage("hall").empty()) << "the stranger's sequence numbers counted";
}

TEST_F(CameraUdp, ACameraRefusingEveryTransportGivesItsReasonAndExit69) {
    serve("hall", "no-transport");  // multicast only: 461 to TCP and to unicast UDP
    const auto recorder = start_recorder();
    const std::string reason = "the camera offers neither RTP over TCP nor over UDP";
    ASSERT_TRUE(
        exam::testing::eventually([&] { return logged("hall: no picture: " + reason); }, 30s))
        << read_file(temp / "record.log");
    const int status = recorder->stop(10s);
    const std::string log = read_file(temp / "record.log");
    ASSERT_TRUE(WIFEXITED(status)) << log;
    EXPECT_EQ(WEXITSTATUS(status), 69) << log;
    EXPECT_NE(log.find("461"), std::string::npos) << log;
    EXPECT_EQ(log.find("Protocol not supported"), std::string::npos) << log;
    const auto gaps = index().gaps("hall");
    ASSERT_EQ(gaps.size(), 1u) << log;
    EXPECT_NE(gaps[0].reason.find(reason), std::string::npos) << gaps[0].reason;
    EXPECT_NE(log.find("never gave a picture during the run: hall: " + reason), std::string::npos)
        << log;
}

TEST_F(CameraUdp, RecordExits69AndNamesTheCameraThatNeverGaveAPicture) {
    // A healthy camera and one whose address answers nothing (a closed port).
    serve("hall", "udp", {{"door", "rtsp://127.0.0.1:1/door"}}, "60s");
    const auto recorder = start_recorder();
    ASSERT_TRUE(exam::testing::eventually(
        [&] { return logged("hall: recording") && logged("door: no picture"); }, 30s))
        << read_file(temp / "record.log");
    const int status = recorder->stop(10s);
    const std::string log = read_file(temp / "record.log");
    ASSERT_TRUE(WIFEXITED(status)) << log;
    EXPECT_EQ(WEXITSTATUS(status), 69) << log;
    EXPECT_NE(log.find("Recorded nothing at all: door: cannot connect to 127.0.0.1:1"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("exam-camera: error: 1 camera(s) never gave a picture during the run: "
                       "door: "),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("never gave a picture during the run: hall"), std::string::npos) << log;
    // The healthy camera's recording is closed and indexed all the same.
    EXPECT_EQ(indexed().size(), 1u) << log;
}
