#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <exam/archive/camera_coverages.hpp>
#include <exam/archive/checksums.hpp>
#include <exam/archive/export_extras.hpp>
#include <exam/archive/export_package.hpp>
#include <exam/archive/export_plan.hpp>
#include <exam/archive/export_record.hpp>
#include <exam/archive/journal_proofs.hpp>
#include <exam/archive/manifest.hpp>
#include <exam/archive/package_readme.hpp>
#include <exam/archive/package_writer.hpp>
#include <exam/journal/site_journal.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>
#include <exam/version.hpp>

namespace exam {

namespace {

namespace fs = std::filesystem;

// Room for the manifest, README and SHA256SUMS, and for each file's last cluster (FAT32's
// clusters are up to 32 KiB).
constexpr std::uint64_t k_room_for_package_files = 1u << 20;
constexpr std::uint64_t k_room_per_file = 32u << 10;

// A segment whose bytes are not those it was recorded with: left out of the package.
struct AlteredSegment {
    std::string file;         // in the recordings folder
    std::string recorded_by;  // "index" or "journal"
    std::string recorded_sha256;
    std::string found_sha256;
    TimeRange range;
};

std::string request_text(const RangeOptions& range) {
    return fmt::format("exam={} from={} to={} all={} rooms={} cameras={}", range.exam, range.from,
                       range.to, range.cameras.all, fmt::join(range.cameras.rooms, ","),
                       fmt::join(range.cameras.cameras, ","));
}

std::string date_text(std::chrono::year_month_day date) {
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

// The destination as the export finds it: a new or empty folder, or an interrupted export of
// the same request when resuming. Anything else is refused, so that no package is mixed into
// other files and no finished package is overwritten.
std::optional<ExportRecord> prepare_destination(const fs::path& out, const ExportRequest& request) {
    std::error_code error;
    if (!fs::exists(out, error)) {
        fs::create_directories(out, error);
        if (error) {
            throw StorageError(
                _f("cannot create the destination folder \"{}\": {}; check that "
                   "the medium is mounted and writable",
                   out.string(), error.message()));
        }
        sync_directory(out.parent_path().empty() ? fs::path(".") : out.parent_path());
        return std::nullopt;
    }
    if (!fs::is_directory(out, error)) {
        throw UsageError(
            _f("--out \"{}\" is not a folder; name a folder (it is created when "
               "missing)",
               out.string()));
    }
    auto record = read_export_record(out);
    if (record) {
        if (!request.resume) {
            throw UsageError(
                _f("\"{}\" holds an interrupted export: add --resume to finish it, "
                   "or choose an empty folder",
                   out.string()));
        }
        if (record->request != request_text(request.range)) {
            throw UsageError(
                _f("\"{}\" holds an interrupted export of other cameras or another "
                   "range ({}); resume it with the same options, or choose an "
                   "empty folder",
                   out.string(), record->request));
        }
        return record;
    }
    if (fs::is_empty(out, error)) {
        return std::nullopt;
    }
    if (fs::exists(out / "manifest.json", error)) {
        throw UsageError(
            _f("\"{}\" already holds a finished export package; it is left as it "
               "is: choose an empty folder for this export",
               out.string()));
    }
    throw UsageError(
        _f("\"{}\" holds other files and no interrupted export{}; choose an empty "
           "folder for the package",
           out.string(), request.resume ? _(" to resume") : ""));
}

SigningKey load_signing_key(const Site& site) {
    const fs::path file = JournalKeyFiles::in(site.paths).signing_key;
    return SigningKey::parse(
        read_text_file(file, _("the exam point's signing key"), FileRole::configuration,
                       _("the package is signed with the key 'exam-journal init' made; run "
                         "the export on the exam point's server, where it is")),
        file.string());
}

void check_free_space(const fs::path& out, std::uint64_t copy_bytes, std::size_t files) {
    const std::uint64_t needed = copy_bytes + k_room_for_package_files + files * k_room_per_file;
    std::string problem;
    const auto free = free_bytes_on_disk_of(out, problem);
    if (!free) {
        throw StorageError(problem);
    }
    if (*free < needed) {
        throw StorageError(
            _f("not enough free space at \"{}\": the export needs {} ({} of "
               "recordings, the rest for the manifest and the file system) and "
               "{} is free; free space there or use a larger medium",
               out.string(), format_byte_size(needed), format_byte_size(copy_bytes),
               format_byte_size(*free)));
    }
}

std::string altered_reason(const AlteredSegment& altered) {
    // English, fixed: the manifest is read by programs and signed.
    return fmt::format(
        "segment {} altered since it was recorded (sha256 in the {}: {}, found: "
        "{}); left out of the package",
        altered.file, altered.recorded_by, altered.recorded_sha256, altered.found_sha256);
}

PackageFile package_file(const PlannedSegment& segment, const WrittenFile& written,
                         const SegmentProofs& proofs) {
    PackageFile file{.path = segment.package_path,
                     .kind = "segment",
                     .start = segment.record.started,
                     .end = segment.record.ended,
                     .bytes = written.bytes,
                     .sha256 = written.sha256,
                     .source = segment.record.file,
                     .recovered = segment.record.recovered,
                     .audio = segment.record.audio};
    if (const auto journalled = proofs.by_file.find(segment.record.file);
        journalled != proofs.by_file.end()) {
        file.journal = journalled->second.proof;
    }
    return file;
}

// Copies one camera's segments (or takes those an interrupted run verified), each checked
// against the index and the journal. Returns the camera's manifest part.
ManifestCamera export_camera(const PlannedCamera& camera, CameraCoverage coverage,
                             PackageWriter& writer, const SegmentProofs& proofs,
                             ExportRecord& record, const fs::path& out, ExportProgress& progress,
                             std::vector<AlteredSegment>& altered) {
    ManifestCamera manifest{.id = camera.camera->id,
                            .label = camera.camera->label,
                            .room = camera.room->id,
                            .room_label = camera.room->label,
                            .room_kind = std::string(to_string(camera.room->kind)),
                            .folder = camera.folder,
                            .range = camera.window};
    std::vector<SegmentRecord> exported;
    std::vector<GapRecord> gaps = camera.gaps;
    std::size_t skipped = 0;
    std::uint64_t bytes = 0;
    for (const auto& segment : camera.segments) {
        const auto journalled = proofs.by_file.find(segment.record.file);
        std::optional<WrittenFile> written;
        std::error_code error;
        if (const auto* done = record.find(segment.package_path);
            done != nullptr && done->bytes == segment.record.bytes &&
            done->sha256 == segment.record.sha256 &&
            fs::file_size(out / segment.package_path, error) == done->bytes && !error) {
            // Verified by the interrupted run: the same bytes, not copied again.
            written = WrittenFile{done->bytes, done->sha256};
            ++skipped;
            progress.copied(done->bytes);
        } else {
            const auto result =
                writer.copy_file(segment.source, segment.package_path, segment.record.sha256,
                                 [&](std::uint64_t n) { progress.copied(n); });
            if (result.outcome == CopyOutcome::altered) {
                altered.push_back({segment.record.file,
                                   "index",
                                   segment.record.sha256,
                                   result.file.sha256,
                                   {segment.record.started, segment.record.ended}});
            } else {
                written = result.file;
            }
        }
        if (written && journalled != proofs.by_file.end() &&
            journalled->second.sha256 != written->sha256) {
            // The index agrees with the file but the journal does not: both were changed.
            fs::remove(out / segment.package_path, error);
            sync_directory((out / segment.package_path).parent_path());
            altered.push_back({segment.record.file,
                               "journal",
                               journalled->second.sha256,
                               written->sha256,
                               {segment.record.started, segment.record.ended}});
            written.reset();
        }
        if (!written) {
            gaps.push_back({camera.camera->id, camera.room->id, altered.back().range.from,
                            altered.back().range.to, altered_reason(altered.back())});
            continue;
        }
        if (record.find(segment.package_path) == nullptr) {
            record.files.push_back({segment.package_path, written->bytes, written->sha256});
            write_export_record(out, record);
        }
        bytes += written->bytes;
        exported.push_back(segment.record);
        manifest.files.push_back(package_file(segment, *written, proofs));
    }
    for (const auto& damage : camera.damage) {
        manifest.damage.push_back({{damage.started, damage.ended}, damage.packets_lost});
    }
    // The coverage `exam-camera coverage` gives (index, purged files, the journal's
    // switch-offs); a camera with segments left out as altered gets it from what the package
    // holds, the altered ones as gaps.
    manifest.coverage = gaps.size() == camera.gaps.size()
                            ? std::move(coverage)
                            : camera_coverage(camera.camera->id, camera.room->id, camera.window,
                                              exported, gaps, camera.damage);
    for (const auto& stretch : manifest.coverage.stretches) {
        if (stretch.state == CoverageState::gap) {
            manifest.gaps.push_back({stretch.range, stretch.reason});
        }
    }
    progress.camera_done(camera.camera->id, manifest.files.size(), skipped, bytes);
    return manifest;
}

Manifest manifest_header(const Site& site, const ExportRequest& request,
                         const std::vector<CameraWindow>& windows, const SigningKey& key) {
    Manifest manifest;
    manifest.region = site.region_code;
    manifest.ppe = site.ppe_code;
    manifest.site_name = site.name;
    manifest.timezone = site.timezone.name();
    if (!request.range.exam.empty()) {
        if (const Exam* exam = site.find_exam(request.range.exam)) {
            const LocalTime start{std::chrono::local_days{exam->date} +
                                  std::chrono::duration_cast<Milliseconds>(exam->start_time)};
            manifest.exam = ManifestExam{exam->id, exam->subject, date_text(exam->date),
                                         site.timezone.from_local(start).value_or(TimePoint{})};
        }
    }
    manifest.range = overall_range(windows);
    manifest.exported_by = request.actor.value_or("");
    manifest.exported_at = now();
    manifest.examkit_version = EXAM_VERSION;
    manifest.public_key = key.verifier().to_text();
    return manifest;
}

// The journal's equipment event for the export. Fixed English words: the entry is signed.
JournalEntry export_entry(const ExportRequest& request, const Manifest& manifest,
                          const std::string& manifest_sha256, std::size_t altered) {
    JournalEntry entry;
    entry.kind = EntryKind::export_video;
    entry.actor = request.actor;
    if (!request.range.exam.empty()) {
        entry.exam = request.range.exam;
    }
    if (manifest.cameras.size() == 1) {
        entry.room = manifest.cameras.front().room;
        entry.camera = manifest.cameras.front().id;
    } else if (!manifest.cameras.empty() &&
               std::ranges::all_of(manifest.cameras, [&](const ManifestCamera& camera) {
                   return camera.room == manifest.cameras.front().room;
               })) {
        entry.room = manifest.cameras.front().room;
    }
    std::size_t files = 0;
    for (const auto& camera : manifest.cameras) {
        files += camera.files.size();
    }
    entry.note = fmt::format(
        "range {} to {}; destination {}; manifest sha256 {}; files {}; "
        "altered segments left out {}",
        format_utc(manifest.range.from), format_utc(manifest.range.to),
        fs::absolute(request.out).string(), manifest_sha256, files, altered);
    return entry;
}

}  // namespace

int export_package(const Site& site, const ExportRequest& request, ExportProgress& progress,
                   std::ostream& messages) {
    // What to export: each chosen camera's window (UsageError for a bad range).
    const std::vector<CameraWindow> windows = camera_windows(site, request.range);
    // The key before anything is written: a package nobody can check is not worth copying.
    const SigningKey key = load_signing_key(site);
    auto index = SegmentIndex::open_read_only(SegmentIndex::file_in(site.paths.recordings));
    Manifest manifest = manifest_header(site, request, windows, key);
    const std::string day =
        manifest.exam
            ? manifest.exam->date
            : format_local(site.timezone.to_local(manifest.range.from), TimePrecision::minutes)
                  .substr(0, 10);
    const ExportPlan plan = plan_export(site, windows, index, day, now());

    // The journal's proofs of the segments, and the journal to record the export in.
    SiteJournal journal = open_site_journal(site);
    std::vector<std::string> files;
    for (const auto& camera : plan.cameras) {
        for (const auto& segment : camera.segments) {
            files.push_back(segment.record.file);
        }
    }
    std::error_code error_ignored;
    const SegmentProofs proofs =
        journal.journal ? segment_proofs(*journal.journal, files) : SegmentProofs{};
    manifest.checkpoint = proofs.checkpoint;

    // The destination: empty, or the same export interrupted; then its free space.
    ExportRecord record = prepare_destination(request.out, request)
                              .value_or(ExportRecord{request_text(request.range), {}});
    remove_partial_files(request.out);
    std::uint64_t to_copy = 0;
    for (const auto& camera : plan.cameras) {
        for (const auto& segment : camera.segments) {
            if (record.find(segment.package_path) == nullptr) {
                to_copy += segment.record.bytes;
            }
        }
    }
    check_free_space(request.out, to_copy, plan.segment_count());

    // The segments, each read once, hashed, written, read back and compared.
    PackageWriter writer(request.out);
    std::vector<AlteredSegment> altered;
    progress.started(plan.bytes(), plan.segment_count());
    std::vector<Checksum> checksums;
    std::vector<CameraCoverage> coverages = camera_coverages(site, windows);
    // Contact sheets and joined files are made here first (the exam point's own disk).
    const fs::path staging = site.paths.data / "export-staging";
    for (std::size_t i = 0; i < plan.cameras.size(); ++i) {
        manifest.cameras.push_back(export_camera(plan.cameras[i], std::move(coverages.at(i)),
                                                 writer, proofs, record, request.out, progress,
                                                 altered));
        CameraExtras extras{.camera = plan.cameras[i], .exported = {}, .concat = request.concat};
        for (const auto& segment : plan.cameras[i].segments) {
            const auto& written = manifest.cameras.back().files;
            if (std::any_of(written.begin(), written.end(), [&](const PackageFile& file) {
                    return file.path == segment.package_path;
                })) {
                extras.exported.push_back(&segment);
            }
        }
        export_camera_extras(site, extras, writer, staging, manifest.cameras.back());
        for (const auto& file : manifest.cameras.back().files) {
            checksums.push_back({file.path, file.sha256});
        }
    }
    progress.finished();
    fs::remove_all(staging, error_ignored);

    // The package's own files, SHA256SUMS last: it lists every other file.
    const auto readme = writer.write_file("README.html", package_readme_html(manifest));
    const std::string manifest_text = manifest_json(manifest);
    const auto manifest_file = writer.write_file("manifest.json", manifest_text);
    const auto signature = writer.write_file("manifest.sig", sign_manifest(manifest_text, key));
    checksums.push_back({"README.html", readme.sha256});
    checksums.push_back({"manifest.json", manifest_file.sha256});
    checksums.push_back({"manifest.sig", signature.sha256});
    writer.write_file("SHA256SUMS", sha256sums_text(checksums));
    std::error_code error;
    fs::remove(request.out / k_export_record_name, error);
    sync_directory(request.out);

    for (const auto& segment : altered) {
        messages << _f("ALTERED: the segment {} is not the one recorded: the {} has SHA-256 {}, "
                       "the file has {}; it is left out of the package and listed in the "
                       "manifest's gaps. Keep the recordings as they are and tell the exam "
                       "point's head.",
                       for_terminal(segment.file), segment.recorded_by, segment.recorded_sha256,
                       segment.found_sha256)
                 << '\n';
    }
    std::uint64_t package_bytes = 0;
    for (const auto& checksum : checksums) {
        package_bytes += fs::file_size(request.out / checksum.path, error);
    }
    messages << _f("package written to {} ({}); manifest SHA-256 {}",
                   for_terminal(request.out.string()), format_byte_size(package_bytes),
                   manifest_file.sha256)
             << '\n';

    // The export as an equipment event. A package the journal does not know of is still a
    // package, but the command must not end as if everything were recorded.
    if (journal.journal) {
        try {
            journal.journal->append(
                export_entry(request, manifest, manifest_file.sha256, altered.size()));
            journal.journal->close();
        } catch (const Error& e) {
            throw StorageError(
                _f("the package in {} is complete, but the export is NOT in the "
                   "journal: {}; record it by hand with 'exam-journal event "
                   "export'",
                   request.out.string(), e.what()));
        }
    } else if (journal.missing()) {
        throw StorageError(
            _f("the package in {} is complete, but the export is NOT in the "
               "journal: {}",
               request.out.string(), journal.problem));
    }
    return altered.empty() ? 0 : static_cast<int>(ExitCode::negative);
}

}  // namespace exam
