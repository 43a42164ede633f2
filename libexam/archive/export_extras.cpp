#include <exam/archive/contact_sheet.hpp>
#include <exam/archive/export_extras.hpp>
#include <exam/service/recording_module.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {

namespace fs = std::filesystem;

namespace {

// "20260601T060000Z": the range's start in the parts' names, FAT-safe (no ':').
std::string compact_utc(TimePoint time) {
    std::string text = format_utc(time);  // 2026-06-01T06:00:00.000Z
    std::string compact;
    for (const char c : text.substr(0, 19)) {
        if (c != '-' && c != ':') {
            compact += c;
        }
    }
    return compact + 'Z';
}

void make_folder(const fs::path& folder) {
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) {
        throw StorageError(
            _f("cannot make the export's staging folder {}: {}; the site's data "
               "folder must be writable",
               folder.string(), error.message()));
    }
}

void add_contact_sheet(const Site& site, const CameraExtras& extras, PackageWriter& writer,
                       const fs::path& staging, ManifestCamera& manifest) {
    std::vector<ContactSheetSource> sources;
    for (const PlannedSegment* segment : extras.exported) {
        sources.push_back({segment->source, segment->record.started, segment->record.ended});
    }
    const fs::path sheet = staging / "contact-sheet.jpg";
    const std::string title = _f("{}  room {}", extras.camera.camera->id, extras.camera.room->id);
    write_contact_sheet(sources, extras.camera.window, site.timezone, title, sheet);
    const std::string relative = extras.camera.folder + "/contact-sheet.jpg";
    const CopyResult copied = writer.copy_file(sheet, relative, std::nullopt);
    manifest.files.push_back({.path = relative,
                              .kind = "contact-sheet",
                              .bytes = copied.file.bytes,
                              .sha256 = copied.file.sha256});
}

void add_joined_parts(const CameraExtras& extras, PackageWriter& writer, const fs::path& staging,
                      ManifestCamera& manifest) {
    ConcatRequest request{
        .range = extras.camera.window,
        .folder = staging,
        .base_name = extras.camera.camera->id + "_" + compact_utc(extras.camera.window.from)};
    for (const PlannedSegment* segment : extras.exported) {
        request.segments.push_back({segment->source, segment->record.started, segment->record.ended,
                                    segment->record.sha256});
    }
    if (request.segments.empty()) {
        return;
    }
    for (const ConcatPart& part : concat_segments_loaded(request)) {
        const std::string relative = extras.camera.folder + "/" + part.file.filename().string();
        const CopyResult copied = writer.copy_file(part.file, relative, std::nullopt);
        manifest.files.push_back(
            {.path = relative,
             .kind = "concat",
             .start = part.start,
             .end = part.end,
             .bytes = copied.file.bytes,
             .sha256 = copied.file.sha256,
             .source_sha256 = part.source_sha256,
             .audio = part.audio ? std::optional<std::string>{"aac"} : std::nullopt});
    }
}

}  // namespace

void export_camera_extras(const Site& site, const CameraExtras& extras, PackageWriter& writer,
                          const fs::path& staging, ManifestCamera& manifest) {
    const fs::path folder = staging / extras.camera.camera->id;
    make_folder(folder);
    add_contact_sheet(site, extras, writer, folder, manifest);
    if (extras.concat) {
        add_joined_parts(extras, writer, folder, manifest);
    }
    std::error_code ignored;
    fs::remove_all(folder, ignored);
}

}  // namespace exam
