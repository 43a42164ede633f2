#include <fmt/format.h>

#include <exam/archive/package_readme.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

std::string html(std::string_view text) {
    return escape_markup(text);
}

// Times as the exam point reads them; UTC when the manifest's zone is unknown here.
class TimeWriter {
public:
    explicit TimeWriter(const std::string& zone) : m_zone(TimeZone::find(zone)) {}
    [[nodiscard]] std::string operator()(TimePoint time) const {
        return m_zone ? m_zone->format_labelled(time, TimePrecision::seconds) : format_utc(time);
    }

private:
    std::optional<TimeZone> m_zone;
};

constexpr std::string_view k_style = R"css(
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; } td, th { padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
.files td { font-family: monospace; font-size: 0.85em; border-top: 1px solid #ddd; }
.bar { display: flex; height: 1.6em; border: 1px solid #555; margin: 0.5em 0; }
.bar span { display: block; height: 100%; }
.recorded { background: #3a9b3a; } .gap { background: #e0a800; }
.damaged { background: #c0392b; } .missing { background: #222; }
.legend span.key { display: inline-block; width: 1em; height: 1em; margin: 0 0.3em 0 1em; vertical-align: middle; }
code, pre { background: #f3f3f3; padding: 0.1em 0.3em; } pre { padding: 0.6em; overflow-x: auto; }
)css";

std::string state_words(CoverageState state) {
    switch (state) {
        case CoverageState::recorded: return _("recorded");
        case CoverageState::gap: return _("gap");
        case CoverageState::damaged: return _("damaged");
        case CoverageState::missing: return _("missing, unexplained");
    }
    return {};
}

// The class names of the style above: fixed words, never translated.
std::string_view css_class(CoverageState state) {
    switch (state) {
        case CoverageState::recorded: return "recorded";
        case CoverageState::gap: return "gap";
        case CoverageState::damaged: return "damaged";
        case CoverageState::missing: return "missing";
    }
    return "missing";
}

std::string coverage_bar(const CameraCoverage& coverage, const TimeWriter& time) {
    const double whole = static_cast<double>(coverage.window.length().count());
    std::string bar = "<div class=\"bar\">";
    for (const CoverageStretch& stretch : coverage.stretches) {
        const double share =
            whole > 0 ? 100.0 * static_cast<double>(stretch.range.length().count()) / whole : 0;
        std::string title = fmt::format("{}: {} – {}", state_words(stretch.state),
                                        time(stretch.range.from), time(stretch.range.to));
        if (!stretch.reason.empty()) {
            title += " — " + stretch.reason;
        }
        bar += fmt::format("<span class=\"{}\" style=\"width:{:.3f}%\" title=\"{}\"></span>",
                           css_class(stretch.state), share, html(title));
    }
    return bar + "</div>\n";
}

std::string legend() {
    std::string text = "<p class=\"legend\">";
    for (const CoverageState state : {CoverageState::recorded, CoverageState::gap,
                                      CoverageState::damaged, CoverageState::missing}) {
        text += fmt::format("<span class=\"key {}\"></span>{}", css_class(state),
                            html(state_words(state)));
    }
    return text + "</p>\n";
}

std::string summary(const Manifest& manifest, const TimeWriter& time) {
    std::string text = "<table>\n";
    const auto row = [&text](const std::string& name, const std::string& value) {
        text += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", html(name), html(value));
    };
    row(_("Exam point"), fmt::format("{} ({} {}, {} {})", manifest.site_name, _("region"),
                                     manifest.region, _("PPE"), manifest.ppe));
    if (manifest.exam) {
        row(_("Exam"), fmt::format("{} — {}, {}", manifest.exam->id, manifest.exam->subject,
                                   time(manifest.exam->start)));
    }
    row(_("Time covered"),
        fmt::format("{} – {}", time(manifest.range.from), time(manifest.range.to)));
    row(_("Exported by"), manifest.exported_by);
    row(_("Exported at"), time(manifest.exported_at));
    row(_("Exported with"), "examkit " + manifest.examkit_version);
    return text + "</table>\n";
}

std::string camera_section(const ManifestCamera& camera, const TimeWriter& time) {
    std::string text =
        fmt::format("<h2>{}</h2>\n<p>{}</p>\n", html(_f("Camera {} — {}", camera.id, camera.label)),
                    html(_f("Room {} ({}, {}); folder {}", camera.room, camera.room_label,
                            camera.room_kind, camera.folder)));
    const CameraCoverage& coverage = camera.coverage;
    text += coverage_bar(coverage, time);
    text += fmt::format(
        "<p>{}</p>\n",
        html(_f("{} – {}: recorded {} (of it damaged {}), gaps {}, missing without explanation {}",
                time(coverage.window.from), time(coverage.window.to),
                format_span(coverage.recorded), format_span(coverage.damaged),
                format_span(coverage.gaps), format_span(coverage.missing))));
    if (!camera.gaps.empty()) {
        text += "<ul>\n";
        for (const ManifestGap& gap : camera.gaps) {
            text += fmt::format("<li>{}</li>\n", html(_f("gap {} – {}: {}", time(gap.range.from),
                                                         time(gap.range.to), gap.reason)));
        }
        text += "</ul>\n";
    }
    text += fmt::format(
        "<table class=\"files\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        html(_("File")), html(_("Time")), html(_("Size")), html(_("SHA-256")));
    for (const PackageFile& file : camera.files) {
        std::string when = file.start && file.end
                               ? fmt::format("{} – {}", time(*file.start), time(*file.end))
                               : std::string{};
        std::string notes;
        if (!file.journal && file.kind == "segment") {
            notes += std::string{" "} + _("(no journal entry)");
        }
        if (file.partial) {
            notes +=
                std::string{" "} + _("(still being recorded: up to its last complete fragment)");
        }
        if (file.recovered) {
            notes += std::string{" "} + _("(closed after a crash)");
        }
        text += fmt::format("<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                            html(file.path), html(notes), html(when),
                            html(format_byte_size(file.bytes)), html(file.sha256));
    }
    return text + "</table>\n";
}

std::string how_to_check(const Manifest& manifest) {
    const auto key = VerifierKey::parse(manifest.public_key);
    std::string text = fmt::format("<h2>{}</h2>\n", html(_("How to check this package")));
    text += fmt::format(
        "<p>{}</p>\n<pre>{}</pre>\n<p>{} <code>{}</code></p>\n",
        html(_("The package is signed with the exam point's key. Its fingerprint, to compare "
               "with the one on the exam point's readiness protocol:")),
        html(key ? key->fingerprint() : _("(the manifest's key cannot be read)")),
        html(_("The key itself:")), html(manifest.public_key));
    text += fmt::format(
        "<p>{}</p>\n<pre>exam-camera verify DIR --public-key KEY</pre>\n",
        html(_("With examkit: the command below re-hashes every file and checks the signature and "
               "the journal proofs; DIR is this folder, KEY the exam point's public key (or a "
               "file holding it). It exits with 0 when the package is sound.")));
    text += fmt::format(
        "<p>{}</p>\n<pre>cd DIR\nsha256sum -c SHA256SUMS</pre>\n<p>{}</p>\n",
        html(_("Without examkit: in this folder, coreutils' sha256sum checks that no file was "
               "changed (a missing or added file must be looked for by hand).")),
        html(_("The short Python script in examkit's docs/export-format.md also checks the "
               "signature, the journal checkpoint and every inclusion proof.")));
    return text;
}

}  // namespace

std::string package_readme_html(const Manifest& manifest) {
    const TimeWriter time{manifest.timezone};
    const std::string title =
        _f("Video archive of exam point {} (region {})", manifest.ppe, manifest.region);
    std::string page = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n"
        "<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        html(language_tag()), html(title), k_style, html(title));
    page += fmt::format("<p>{}</p>\n",
                        html(_("This folder holds the video recordings of the exam point's "
                               "cameras for the time below, their SHA-256 hashes (SHA256SUMS), a "
                               "signed list of them (manifest.json, manifest.sig) and a contact "
                               "sheet per camera.")));
    page += summary(manifest, time);
    page += legend();
    for (const ManifestCamera& camera : manifest.cameras) {
        page += camera_section(camera, time);
    }
    page += how_to_check(manifest);
    return page + "</body>\n</html>\n";
}

}  // namespace exam
