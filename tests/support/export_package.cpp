#include "support/export_package.hpp"
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include <exam/archive/checksums.hpp>
#include <exam/archive/journal_proofs.hpp>
#include <exam/archive/manifest.hpp>
#include <exam/archive/package_readme.hpp>
#include <exam/core/site_loader.hpp>
#include <exam/journal/journal.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/sha256.hpp>

#include "support/temp_dir.hpp"

namespace exam::testing {
namespace fs = std::filesystem;
namespace {

using namespace std::chrono_literals;

constexpr std::string_view k_site =
    "ppe_code = \"0001\"\nregion = \"77\"\nname = \"Школа <№ 1> & Co\"\n"
    "timezone = \"Europe/Moscow\"\n";

// Bytes that differ from file to file, like video does.
std::string segment_bytes(std::size_t size, std::size_t seed) {
    std::string bytes(size, '\0');
    std::uint32_t state = static_cast<std::uint32_t>(seed * 2654435761u + 1u);
    for (char& byte : bytes) {
        state = state * 1664525u + 1013904223u;
        byte = static_cast<char>(state >> 24);
    }
    return bytes;
}

void write_bytes(const fs::path& file, std::string_view bytes) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << bytes;
    if (!out) {
        throw std::runtime_error("cannot write " + file.string());
    }
}

PackageFile package_file(const fs::path& folder, std::string path, std::string kind) {
    PackageFile file;
    file.path = std::move(path);
    file.kind = std::move(kind);
    file.bytes = fs::file_size(folder / file.path);
    file.sha256 = to_hex(sha256_file(folder / file.path));
    return file;
}

}  // namespace

TestPackage make_test_package(const fs::path& work, const TestPackageOptions& options) {
    TestPackage result;
    result.site_file = work / "site.toml";
    write_bytes(result.site_file, k_site);
    const Site site = load_site(result.site_file);
    result.public_key = Journal::initialize(site).to_text();
    const SigningKey key =
        SigningKey::parse(read_file(site.paths.keys / "journal-signing.key"), "test key");
    result.fingerprint = key.verifier().fingerprint();
    result.folder = work / "package";

    const TimePoint start = *parse_utc("2026-06-01T07:00:00.000Z");
    const Milliseconds segment_length = 10min;
    Manifest manifest;
    manifest.region = "77";
    manifest.ppe = "0001";
    manifest.site_name = "Школа <№ 1> & Co";
    manifest.timezone = "Europe/Moscow";
    manifest.exam = ManifestExam{
        .id = "math", .subject = "Математика", .date = "2026-06-01", .start = start + 1h};
    manifest.range = {start,
                      start + segment_length * static_cast<int>(options.segments_per_camera)};
    if (options.segments_per_camera > 6) {
        throw std::runtime_error("a test package holds at most 6 segments per camera");
    }
    manifest.exported_by = "Tester";
    manifest.exported_at = start + 5h;
    manifest.examkit_version = "0.0.0-test";
    manifest.public_key = result.public_key;

    // The recorder's part: segment files in the recordings folder, journalled one by one.
    std::vector<std::string> sources;
    {
        Journal journal = Journal::open(site);
        for (std::size_t c = 0; c < options.cameras; ++c) {
            for (std::size_t s = 0; s < options.segments_per_camera; ++s) {
                SegmentRecord record;
                record.camera = fmt::format("cam{}", c + 1);
                record.room = "0101";
                record.started = start + segment_length * static_cast<int>(s);
                // Named by its start, as the recorder names them: 20260601T071000Z.mp4.
                record.file = fmt::format("0101/{}/20260601T07{:02}00Z.mp4", record.camera, s * 10);
                const std::string bytes = segment_bytes(options.segment_bytes, c * 100 + s);
                write_bytes(site.paths.recordings / record.file, bytes);
                record.bytes = bytes.size();
                record.sha256 = to_hex(sha256(bytes));
                sources.push_back(record.file);
                const bool last_of_first = c == 0 && s + 1 == options.segments_per_camera;
                if (options.one_unjournalled && last_of_first) {
                    continue;
                }
                JournalEntry entry;
                entry.kind = EntryKind::segment;
                entry.room = record.room;
                entry.camera = record.camera;
                entry.note = segment_note(record);
                journal.append(entry);
            }
        }
        journal.close();
    }

    // The export's part, through the archive API.
    Journal journal = Journal::open(site);
    const SegmentProofs proofs = segment_proofs(journal, sources);
    manifest.checkpoint = proofs.checkpoint;
    std::vector<Checksum> sums;
    std::size_t next_source = 0;
    for (std::size_t c = 0; c < options.cameras; ++c) {
        ManifestCamera camera;
        camera.id = fmt::format("cam{}", c + 1);
        camera.label = fmt::format("Камера \"{}\"", c + 1);
        camera.room = "0101";
        camera.room_label = "Аудитория 101";
        camera.room_kind = "exam";
        camera.folder = "77-0001/2026-06-01/0101/" + camera.id;
        camera.range = manifest.range;
        for (std::size_t s = 0; s < options.segments_per_camera; ++s) {
            const std::string& source = sources[next_source++];
            const std::string name = fs::path{source}.filename().string();
            fs::create_directories(result.folder / camera.folder);
            fs::copy_file(site.paths.recordings / source, result.folder / camera.folder / name);
            PackageFile file = package_file(result.folder, camera.folder + "/" + name, "segment");
            file.start = start + segment_length * static_cast<int>(s);
            file.end = *file.start + segment_length;
            file.source = source;
            if (const auto found = proofs.by_file.find(source); found != proofs.by_file.end()) {
                file.journal = found->second.proof;
            }
            camera.files.push_back(std::move(file));
        }
        write_bytes(result.folder / camera.folder / "contact-sheet.jpg",
                    segment_bytes(2048, 999 + c));
        camera.files.push_back(
            package_file(result.folder, camera.folder + "/contact-sheet.jpg", "contact-sheet"));
        camera.coverage.camera = camera.id;
        camera.coverage.room = camera.room;
        camera.coverage.window = camera.range;
        camera.coverage.stretches = {{.range = camera.range, .state = CoverageState::recorded}};
        camera.coverage.recorded = camera.range.length();
        manifest.cameras.push_back(std::move(camera));
    }
    const std::string json = manifest_json(manifest);
    write_bytes(result.folder / "README.html", package_readme_html(manifest));
    write_bytes(result.folder / "manifest.json", json);
    write_bytes(result.folder / "manifest.sig", sign_manifest(json, key));
    for (const auto& entry : fs::recursive_directory_iterator(result.folder)) {
        if (entry.is_regular_file()) {
            const std::string path =
                entry.path().lexically_relative(result.folder).generic_string();
            sums.push_back({.path = path, .sha256 = to_hex(sha256_file(entry.path()))});
            result.files.push_back(path);
        }
    }
    write_bytes(result.folder / "SHA256SUMS", sha256sums_text(sums));
    result.files.push_back("SHA256SUMS");
    return result;
}

void flip_one_byte(const fs::path& file) {
    std::string bytes = read_file(file);
    if (bytes.empty()) {
        throw std::runtime_error("cannot flip a byte of the empty " + file.string());
    }
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    write_bytes(file, bytes);
}

}  // namespace exam::testing
