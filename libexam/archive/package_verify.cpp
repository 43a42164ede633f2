#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include <exam/archive/checksums.hpp>
#include <exam/archive/manifest.hpp>
#include <exam/archive/package_verify.hpp>
#include <exam/journal/checkpoint.hpp>
#include <exam/journal/merkle.hpp>
#include <exam/recording/segment_index.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view k_sums_file = "SHA256SUMS";
constexpr std::string_view k_manifest_file = "manifest.json";
constexpr std::string_view k_signature_file = "manifest.sig";

struct Hashed {
    std::string sha256;
    std::uint64_t bytes = 0;
};

// One run of the checks over one package folder: what is on disk, what SHA256SUMS and the
// manifest say of it, and every problem found on the way.
class PackageCheck {
public:
    PackageCheck(fs::path folder, PackageVerifyReport& report)
        : m_folder(std::move(folder)), m_report(report) {}

    void problem(std::string file, std::string text) {
        m_report.problems.push_back({.file = std::move(file), .problem = std::move(text)});
    }

    // The package's files by relative path; anything but a plain file is a problem itself.
    void list_files() {
        std::error_code error;
        for (fs::recursive_directory_iterator it{m_folder, error}, end; !error && it != end;
             it.increment(error)) {
            const std::string path = it->path().lexically_relative(m_folder).generic_string();
            if (it->is_symlink()) {
                problem(path, _("is a symbolic link; a package holds only plain files"));
            } else if (it->is_regular_file()) {
                m_on_disk.insert(path);
            } else if (!it->is_directory()) {
                problem(path, _("is not a plain file; a package holds only plain files"));
            }
        }
        if (error) {
            problem(".", _f("cannot list the package folder: {}", error.message()));
        }
    }

    // A small file of the package, or nullopt with the problem recorded.
    std::optional<std::string> read(std::string_view name) {
        if (!m_on_disk.contains(std::string{name})) {
            problem(std::string{name}, _("is missing from the package"));
            return std::nullopt;
        }
        std::ifstream in(m_folder / name, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in) {
            problem(std::string{name}, _("cannot be read"));
            return std::nullopt;
        }
        return text.str();
    }

    void read_sums() {
        const auto text = read(k_sums_file);
        if (!text) {
            return;
        }
        try {
            for (Checksum& sum : parse_sha256sums(*text, k_sums_file)) {
                m_listed.emplace(std::move(sum.path), std::move(sum.sha256));
            }
        } catch (const InputError& e) {
            problem(std::string{k_sums_file}, e.what());
        }
        m_sums_read = true;
    }

    // The file's hash and size, each file hashed once however many checks ask.
    const Hashed* hashed(const std::string& path) {
        if (const auto found = m_hashes.find(path); found != m_hashes.end()) {
            return &found->second;
        }
        if (!m_on_disk.contains(path)) {
            return nullptr;
        }
        try {
            const fs::path file = m_folder / path;
            Hashed result{.sha256 = to_hex(sha256_file(file)), .bytes = fs::file_size(file)};
            ++m_report.files_hashed;
            m_report.bytes_hashed += result.bytes;
            return &m_hashes.emplace(path, std::move(result)).first->second;
        } catch (const std::exception& e) {
            problem(path, _f("cannot be read: {}", e.what()));
            m_on_disk.erase(path);
            return nullptr;
        }
    }

    // Every file SHA256SUMS lists is there with its hash; every file there is listed.
    void check_sums() {
        if (!m_sums_read) {
            return;
        }
        for (const auto& [path, sha256] : m_listed) {
            if (!m_on_disk.contains(path)) {
                problem(path, _("is missing: SHA256SUMS lists it, the package does not hold it"));
                continue;
            }
            if (const Hashed* actual = hashed(path); actual && actual->sha256 != sha256) {
                problem(path, _f("was changed: its SHA-256 is {}, SHA256SUMS gives {}",
                                 actual->sha256, sha256));
            }
        }
        for (const std::string& path : m_on_disk) {
            if (path != k_sums_file && !m_listed.contains(path)) {
                problem(path, _("is not listed in SHA256SUMS: a file added to the package"));
            }
        }
    }

    [[nodiscard]] const std::map<std::string, std::string>& listed() const { return m_listed; }
    [[nodiscard]] bool sums_read() const { return m_sums_read; }
    [[nodiscard]] bool on_disk(const std::string& path) const { return m_on_disk.contains(path); }
    [[nodiscard]] PackageVerifyReport& report() { return m_report; }

private:
    fs::path m_folder;
    PackageVerifyReport& m_report;
    std::set<std::string> m_on_disk;
    std::map<std::string, std::string> m_listed;
    std::map<std::string, Hashed> m_hashes;
    bool m_sums_read = false;
};

// The key that checks manifest.sig: the one given, else the exam point's own when it is this
// package's exam point, else the manifest's own (integrity only: the origin is unproven).
std::optional<VerifierKey> choose_key(const Manifest& manifest, const PackageVerifyOptions& options,
                                      PackageCheck& check) {
    PackageVerifyReport& report = check.report();
    const auto own = VerifierKey::parse(manifest.public_key);
    if (!own) {
        check.problem(std::string{k_manifest_file},
                      _("its \"/public_key\" is not a public key (name+keyid+base64)"));
    }
    std::optional<VerifierKey> key;
    const std::string origin = journal_origin(manifest.region, manifest.ppe);
    if (options.public_key) {
        key = options.public_key;
        report.key_source = PackageKeySource::option;
    } else if (options.site_key && options.site_key->name() == origin) {
        key = options.site_key;
        report.key_source = PackageKeySource::site;
    } else {
        key = own;
        report.key_source = PackageKeySource::manifest;
        report.why_origin_unproven =
            options.site_key ? _f("this exam point's key is {}'s, not the package's {}",
                                  options.site_key->name(), origin)
            : !options.site_key_problem.empty()
                ? options.site_key_problem
                : _("no key was given with --public-key and no site file was found");
    }
    if (key) {
        report.key_name = key->name();
        report.fingerprint = key->fingerprint();
        if (own && own->to_text() != key->to_text()) {
            check.problem(std::string{k_manifest_file},
                          _f("it carries the public key {}, not the trusted {}", own->to_text(),
                             key->to_text()));
        }
    }
    return key;
}

std::optional<Checkpoint> check_checkpoint(const Manifest& manifest, const VerifierKey& key,
                                           PackageCheck& check) {
    if (!manifest.checkpoint) {
        return std::nullopt;
    }
    const std::string file{k_manifest_file};
    auto checkpoint = open_checkpoint(manifest.checkpoint->note, key);
    if (!checkpoint) {
        check.problem(file,
                      _f("its journal checkpoint is not a checkpoint signed by {}", key.name()));
        return std::nullopt;
    }
    const std::string origin = journal_origin(manifest.region, manifest.ppe);
    if (checkpoint->origin != origin) {
        check.problem(file, _f("its journal checkpoint is of {}, not of the package's {}",
                               checkpoint->origin, origin));
        return std::nullopt;
    }
    if (checkpoint->tree_size != manifest.checkpoint->tree_size ||
        base64_encode(checkpoint->root_hash) != manifest.checkpoint->root_hash) {
        check.problem(file, _("its checkpoint's tree size or root hash differs from the signed "
                              "note's"));
        return std::nullopt;
    }
    return checkpoint;
}

// The file's journal entry is the recorder's `segment` entry of this very file, and the entry
// is in the checkpoint's tree.
void check_journal_entry(const Manifest& manifest, const PackageFile& file,
                         const std::optional<Checkpoint>& checkpoint, PackageCheck& check) {
    const JournalProof& proof = *file.journal;
    if (!checkpoint) {
        check.problem(file.path, _("the manifest gives its journal entry, but no valid "
                                   "checkpoint proves it"));
        return;
    }
    nlohmann::json leaf;
    try {
        leaf = nlohmann::json::parse(proof.leaf);
    } catch (const nlohmann::json::exception&) {
        leaf = nullptr;
    }
    SegmentRecord named;
    named.file = file.source.value_or("");
    named.sha256 = file.sha256;
    named.bytes = file.bytes;
    const auto text = [&leaf](const char* key) {
        return leaf.is_object() && leaf.contains(key) && leaf[key].is_string()
                   ? leaf[key].get<std::string>()
                   : std::string{};
    };
    if (!leaf.is_object() || text("kind") != "segment" || text("note") != segment_note(named) ||
        text("region") != manifest.region || text("ppe") != manifest.ppe || !leaf.contains("seq") ||
        leaf["seq"] != proof.seq) {
        check.problem(file.path,
                      _f("its journal entry {} is not the segment entry of this file (expected "
                         "the note \"{}\")",
                         proof.seq, segment_note(named)));
        return;
    }
    std::vector<merkle::Hash> path;
    for (const std::string& hash : proof.proof) {
        const auto bytes = base64_decode(hash);
        if (!bytes || bytes->size() != merkle::Hash{}.size()) {
            path.clear();
            break;
        }
        path.emplace_back();
        std::copy(bytes->begin(), bytes->end(), path.back().begin());
    }
    if (path.size() != proof.proof.size() ||
        !merkle::verify_inclusion(merkle::leaf_hash(proof.leaf), proof.seq, checkpoint->tree_size,
                                  path, checkpoint->root_hash)) {
        check.problem(file.path, _f("the inclusion proof of its journal entry {} does not lead "
                                    "to the checkpoint's root",
                                    proof.seq));
        return;
    }
    ++check.report().journalled;
}

void check_camera(const Manifest& manifest, const ManifestCamera& camera,
                  const std::optional<Checkpoint>& checkpoint, PackageCheck& check,
                  const std::function<void(const CameraVerified&)>& on_camera) {
    const std::size_t problems_before = check.report().problems.size();
    CameraVerified verified{.camera = camera.id, .room = camera.room, .files = camera.files.size()};
    for (const PackageFile& file : camera.files) {
        const auto listed = check.listed().find(file.path);
        if (!check.on_disk(file.path)) {
            check.problem(file.path, _("is missing: the manifest lists it, the package does not "
                                       "hold it"));
        } else if (const Hashed* actual = check.hashed(file.path)) {
            if (actual->bytes != file.bytes) {
                check.problem(file.path, _f("holds {} bytes, the manifest gives {}", actual->bytes,
                                            file.bytes));
            }
            if (check.sums_read() && listed != check.listed().end() &&
                listed->second != file.sha256) {
                check.problem(file.path, _f("the manifest gives the SHA-256 {}, SHA256SUMS {}",
                                            file.sha256, listed->second));
            } else if (actual->sha256 != file.sha256 && listed == check.listed().end()) {
                check.problem(file.path, _f("was changed: its SHA-256 is {}, the manifest gives {}",
                                            actual->sha256, file.sha256));
            }
        }
        if (file.journal) {
            ++verified.journalled;
            check_journal_entry(manifest, file, checkpoint, check);
        } else if (file.kind == "segment") {
            ++check.report().unjournalled;
        }
    }
    verified.problems = check.report().problems.size() - problems_before;
    check.report().cameras.push_back(verified);
    if (on_camera) {
        on_camera(verified);
    }
}

}  // namespace

PackageVerifyReport verify_package(const fs::path& folder, const PackageVerifyOptions& options,
                                   const std::function<void(const CameraVerified&)>& on_camera) {
    std::error_code error;
    if (!fs::is_directory(folder, error)) {
        throw InputError(
            _f("\"{}\" is not a folder: give the folder of the package (the one "
               "holding manifest.json)",
               folder.string()));
    }
    PackageVerifyReport report;
    PackageCheck check{folder, report};
    check.list_files();
    check.read_sums();
    const auto manifest_bytes = check.read(k_manifest_file);
    const auto signature = check.read(k_signature_file);
    std::optional<Manifest> manifest;
    if (manifest_bytes) {
        try {
            manifest = parse_manifest(*manifest_bytes, k_manifest_file);
        } catch (const InputError& e) {
            check.problem(std::string{k_manifest_file}, e.what());
        }
    }
    if (manifest) {
        const std::optional<VerifierKey> key = choose_key(*manifest, options, check);
        std::optional<Checkpoint> checkpoint;
        if (key) {
            if (signature && !manifest_signed_by(*manifest_bytes, *signature, *key)) {
                check.problem(std::string{k_signature_file},
                              _f("is not a valid signature by {} over manifest.json: the "
                                 "manifest was edited, or another key signed it",
                                 key->name()));
            }
            checkpoint = check_checkpoint(*manifest, *key, check);
        }
        for (const ManifestCamera& camera : manifest->cameras) {
            check_camera(*manifest, camera, checkpoint, check, on_camera);
        }
    }
    check.check_sums();
    return report;
}

ExitCode package_verify_exit_code(const PackageVerifyReport& report) {
    if (!report.ok()) {
        return ExitCode::negative;
    }
    return report.key_source == PackageKeySource::manifest ? ExitCode::could_not_check
                                                           : ExitCode::ok;
}

void write_camera_verified(std::ostream& out, const CameraVerified& camera) {
    const std::string files =
        fmt::format(fmt::runtime(_n("{} file", "{} files", camera.files)), camera.files);
    if (camera.problems == 0) {
        out << _f("camera {} (room {}): {}, {} in the journal, all sound",
                  for_terminal(camera.camera), for_terminal(camera.room), files, camera.journalled)
            << '\n';
    } else {
        out << _f("camera {} (room {}): {}, {}", for_terminal(camera.camera),
                  for_terminal(camera.room), files,
                  fmt::format(fmt::runtime(_n("{} problem", "{} problems", camera.problems)),
                              camera.problems))
            << '\n';
    }
}

void write_package_verify_text(std::ostream& out, const PackageVerifyReport& report,
                               const Palette& palette) {
    for (const PackageProblem& problem : report.problems) {
        out << palette.paint(_("FAILED"), Color::red) << ' ' << for_terminal(problem.file) << ": "
            << for_terminal(problem.problem) << '\n';
    }
    out << fmt::format(
               fmt::runtime(_n("{} file hashed ({})", "{} files hashed ({})", report.files_hashed)),
               report.files_hashed, format_byte_size(report.bytes_hashed))
        << "; "
        << fmt::format(fmt::runtime(_n("{} segment proven in the journal",
                                       "{} segments proven in the journal", report.journalled)),
                       report.journalled)
        << '\n';
    if (report.unjournalled > 0) {
        out << fmt::format(
                   fmt::runtime(_n("{} segment has no journal entry (recorded while the journal "
                                   "was missing, or still being written); the manifest says so",
                                   "{} segments have no journal entry (recorded while the journal "
                                   "was missing, or still being written); the manifest says so",
                                   report.unjournalled)),
                   report.unjournalled)
            << '\n';
    }
    if (!report.ok()) {
        out << palette.paint(
                   fmt::format(fmt::runtime(_n("the package failed verification: {} problem; do "
                                               "not accept it as evidence",
                                               "the package failed verification: {} problems; do "
                                               "not accept it as evidence",
                                               report.problems.size())),
                               report.problems.size()),
                   Color::red)
            << '\n';
        return;
    }
    if (report.key_source == PackageKeySource::manifest) {
        out << palette.paint(_("the package is intact, but its origin is UNPROVEN: it was checked "
                               "only with the key it carries itself"),
                             Color::yellow)
            << '\n'
            << _f("({}.) Compare this fingerprint with the one on the exam point's readiness "
                  "protocol, or run again with --public-key:",
                  report.why_origin_unproven)
            << '\n'
            << "  " << report.key_name << "  " << report.fingerprint << '\n';
        return;
    }
    out << palette.paint(_f("the package is sound: signed by {} (fingerprint {}), {}",
                            report.key_name, report.fingerprint,
                            report.key_source == PackageKeySource::option
                                ? _("the key given with --public-key")
                                : _("this exam point's own key")),
                         Color::green)
        << '\n';
}

VerifierKey verifier_key_from_option(std::string_view text_or_file, std::string_view option) {
    if (auto key = VerifierKey::parse(text_or_file)) {
        return *key;
    }
    std::error_code error;
    const fs::path file{std::string{text_or_file}};
    if (!text_or_file.empty() && fs::is_regular_file(file, error)) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        std::string content = text.str();
        // A key file may hold the key on its first line, followed by other lines.
        content = content.substr(0, content.find('\n'));
        if (auto key = VerifierKey::parse(content)) {
            return *key;
        }
        throw UsageError(
            _f("{} {}: the file does not hold a public key: expected one line of "
               "the form name+keyid+base64 that 'exam-journal init' printed",
               option, file.string()));
    }
    throw UsageError(
        _f("{} \"{}\" is not a public key nor a file holding one: expected the form "
           "name+keyid+base64 that 'exam-journal init' printed",
           option, text_or_file));
}

}  // namespace exam
