// Recordings for scripts/bench/export-bench.sh: COUNT segment files of SIZE bytes each for
// room 0101, camera front, one a minute from START, indexed as the recorder indexes them. The
// bytes are random (video does not compress), so no layer below can shortcut them.
//
//   exam-export-bench-fixture RECORDINGS COUNT SIZE START
#include <cstdlib>
#include <fstream>
#include <random>
#include <vector>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <exam/recording/segment_index.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/time.hpp>

int main(int argc, char** argv) {
    if (argc != 5) {
        fmt::print(stderr, "usage: {} RECORDINGS COUNT SIZE START\n", argv[0]);
        return 64;
    }
    const std::filesystem::path recordings = argv[1];
    const int count = std::atoi(argv[2]);
    const std::size_t size = std::strtoull(argv[3], nullptr, 10);
    const auto start = exam::parse_utc(argv[4]);
    if (!start) {
        fmt::print(stderr, "START must be a UTC time such as 2026-06-01T07:00:00.000Z\n");
        return 64;
    }
    std::filesystem::create_directories(recordings / "0101/front");
    auto index = exam::SegmentIndex::open(recordings);
    std::mt19937_64 random(42);
    std::vector<std::uint64_t> block(1u << 17);  // 1 MiB
    for (int i = 0; i < count; ++i) {
        const exam::TimePoint started = *start + std::chrono::minutes{i};
        const std::string name = fmt::format("0101/front/{:%Y%m%dT%H%M%S}Z.mp4",
                                             std::chrono::floor<std::chrono::seconds>(started));
        std::ofstream out(recordings / name, std::ios::binary);
        exam::Sha256 hash;
        for (std::size_t written = 0; written < size;) {
            for (auto& word : block) {
                word = random();
            }
            const std::size_t n = std::min(size - written, block.size() * sizeof(std::uint64_t));
            const std::string_view bytes(reinterpret_cast<const char*>(block.data()), n);
            out.write(bytes.data(), static_cast<std::streamsize>(n));
            hash.update(bytes);
            written += n;
        }
        out.close();
        exam::SegmentRecord segment{.camera = "front",
                                    .room = "0101",
                                    .file = name,
                                    .started = started,
                                    .ended = started + std::chrono::minutes{1},
                                    .media_end_ms = 60'000,
                                    .bytes = size,
                                    .frames = 1500,
                                    .sha256 = exam::to_hex(hash.finish())};
        index.add_segment(segment);
    }
    return 0;
}
