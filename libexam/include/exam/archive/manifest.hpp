// The export package's manifest (manifest.json, docs/export-format.md): what the package holds,
// where it came from, each file's hash and each segment's journal entry with its inclusion
// proof, and its signature (manifest.sig). Written by export, read by verify. The format is
// frozen once shipped; a change needs a new `version`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <exam/archive/coverage.hpp>
#include <exam/core/signing.hpp>
#include <exam/export.hpp>
#include <exam/util/time.hpp>

namespace exam {

inline constexpr int k_manifest_format_version = 1;
// What manifest.sig signs is this line followed by manifest.json's bytes, so that a manifest
// signature can never pass as a journal checkpoint (a signed note) or the other way round.
inline constexpr std::string_view k_manifest_signature_context = "examkit export manifest v1\n";

// A segment's entry in the site's journal, with what proves it is in the tree the manifest's
// checkpoint signs.
struct JournalProof {
    std::uint64_t seq = 0;           // the entry's number, which is its leaf index
    std::string leaf;                // the entry's leaf bytes (canonical JSON), as hashed
    std::vector<std::string> proof;  // RFC 9162 inclusion proof: base64 hashes, leaf to root
};

// One file of the package. Paths are relative to the package folder, with '/'.
struct PackageFile {
    std::string path;
    std::string kind;                // "segment", "concat", "contact-sheet"
    std::optional<TimePoint> start;  // UTC; absent for a contact sheet
    std::optional<TimePoint> end;
    std::uint64_t bytes = 0;
    std::string sha256;  // hex, of the file as written into the package
    // A segment: its file in the recordings folder (ROOM/CAMERA/NAME.mp4). A joined file: the
    // SHA-256 of each segment it was remuxed from, in order.
    std::optional<std::string> source;
    std::vector<std::string> source_sha256;
    bool recovered = false;  // closed after a crash: its tail may be short
    // Exported while it was still being written: up to its last complete fragment, and not
    // yet in the journal.
    bool partial = false;
    std::optional<std::string> audio;  // "aac" when the file has sound
    // Absent for a segment recorded while the journal was missing (and for joined files and
    // contact sheets, which the journal never saw): listed as unjournalled, never passed off.
    std::optional<JournalProof> journal;
};

struct ManifestGap {
    TimeRange range;
    std::string reason;
};

struct ManifestDamage {
    TimeRange range;
    std::uint64_t packets_lost = 0;
};

struct ManifestCamera {
    std::string id;
    std::string label;
    std::string room;
    std::string room_label;
    std::string room_kind;  // "exam", "hq", "entrance"
    std::string folder;     // the camera's folder in the package
    TimeRange range;        // the stretch exported for this camera (its window with --exam)
    std::vector<PackageFile> files;
    std::vector<ManifestGap> gaps;
    std::vector<ManifestDamage> damage;
    CameraCoverage coverage;  // stretches and totals over `range`
};

struct ManifestExam {
    std::string id;
    std::string subject;
    std::string date;  // "YYYY-MM-DD", the exam point's own calendar day
    TimePoint start;   // UTC
};

struct ManifestCheckpoint {
    std::string note;  // the signed note exactly as the journal stored it
    std::uint64_t tree_size = 0;
    std::string root_hash;  // base64, as in the note
};

struct Manifest {
    int version = k_manifest_format_version;
    std::string region;
    std::string ppe;
    std::string site_name;
    std::string timezone;              // IANA name: for people reading the times
    std::optional<ManifestExam> exam;  // --exam; absent for --from/--to
    TimeRange range;  // the whole stretch asked for (with --exam: from the first window's start)
    std::string exported_by;
    TimePoint exported_at;
    std::string examkit_version;
    std::string public_key;  // the exam point's verifier key, in its text form
    // The journal checkpoint that covers every journalled segment of the package; absent when
    // none is (no journal, or no segment journalled).
    std::optional<ManifestCheckpoint> checkpoint;
    std::vector<ManifestCamera> cameras;
};

// manifest.json's bytes: UTF-8 JSON, keys in a fixed order, two-space indent, '\n' at the end.
EXAM_EXPORT std::string manifest_json(const Manifest& manifest);
// Throws InputError naming the field (a JSON pointer) when the text is not a manifest this
// version reads; `where` names the file in messages.
EXAM_EXPORT Manifest parse_manifest(std::string_view json, std::string_view where);

// manifest.sig's text: "<key name> <base64(key id || Ed25519 signature)>\n" over
// k_manifest_signature_context + manifest bytes.
EXAM_EXPORT std::string sign_manifest(std::string_view manifest_bytes, const SigningKey& key);
// Whether manifest.sig's text carries a valid signature by `key` over the manifest's bytes.
EXAM_EXPORT bool manifest_signed_by(std::string_view manifest_bytes, std::string_view signature,
                                    const VerifierKey& key);

}  // namespace exam
