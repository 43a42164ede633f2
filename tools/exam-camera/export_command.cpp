// exam-camera export: the options, then libexam's export_package does the work.
#include <iostream>

#include <unistd.h>

#include <exam/archive/export_package.hpp>
#include <exam/util/translate.hpp>

#include "commands.hpp"

namespace {

using namespace exam;
using exam::tool::Tool;

struct ExportOptions {
    RangeOptions range;
    std::string out;
    bool resume = false;
    bool concat = false;
};

int run_export(const Tool& tool, const ExportOptions& options) {
    const Site site = tool.load_site();
    const ExportRequest request{.range = options.range,
                                .out = options.out,
                                .resume = options.resume,
                                .concat = options.concat,
                                .actor = exam::tool::acting_person()};
    ExportProgress progress(std::cerr, ::isatty(STDERR_FILENO) == 1 ? ExportProgress::Style::bar
                                                                    : ExportProgress::Style::lines);
    return export_package(site, request, progress, std::cout);
}

}  // namespace

void add_export_command(Tool& tool) {
    static ExportOptions options;
    auto* command = tool.add_command(
        "export",
        _("Write a signed, verified package of the recordings of an exam or a time range into a "
          "folder (a USB stick)"),
        [&tool] { return run_export(tool, options); });
    command->footer(
        _("Each segment overlapping the range is read once, hashed, written, synced and read back "
          "from the destination before it gets its final name; a segment whose hash is not the "
          "one in the index or the journal is left out and named. The package holds the "
          "segments and a contact sheet per camera in REGION-PPE/DATE/ROOM/CAMERA/, manifest.json, "
          "manifest.sig, README.html and "
          "SHA256SUMS ('sha256sum -c SHA256SUMS' checks it without examkit; 'exam-camera verify' "
          "checks everything). Stop the cameras' recording first: a camera still recording into "
          "the range is refused.\n"
          "Exit codes: 0 the package is complete; 2 some segment had been altered since it was "
          "recorded (left out, the rest is complete); 64 wrong options or a destination that is "
          "not empty; 74 the destination is full, read-only or failing, a recording is still "
          "being written, or the journal could not record the export (the package is complete, "
          "but not journalled); 78 no signing key."));
    auto* exam = command->add_option("--exam", options.range.exam,
                                     _("Each chosen room's recording window around this exam"));
    auto* from = command->add_option(
        "--from", options.range.from,
        _("Start of the range: RFC 3339, or a local time in the site's timezone"));
    auto* to = command->add_option("--to", options.range.to, _("End of the range"));
    exam->excludes(from)->excludes(to);
    from->needs(to);
    to->needs(from);
    command->add_flag("--all", options.range.cameras.all, _("Every camera of the site (default)"));
    command->add_option("--room", options.range.cameras.rooms, _("Every camera of this room"))
        ->type_name("ROOM");
    command->add_option("--camera", options.range.cameras.cameras, _("This camera"))
        ->type_name("CAMERA");
    command
        ->add_option("--out", options.out,
                     _("The package's folder: new or empty (it is created when missing)"))
        ->required()
        ->type_name("DIR");
    command->add_flag("--concat", options.concat,
                      _("Also one MP4 per camera for the whole range, joined without re-encoding "
                        "from the keyframe at or before its start, in parts below 4 GiB (FAT32), "
                        "with the camera's sound; a new part after a gap of over 3 s"));
    command->add_flag("--resume", options.resume,
                      _("Finish an interrupted export into the same folder: files it verified "
                        "are not copied again"));
}
