// `exam-camera verify`: an export package checked as a stranger would check it. Every file is
// hashed again (SHA256SUMS), no file may be missing or extra, manifest.sig must hold under the
// key the caller trusts, and every journalled segment must be in the journal checkpoint the
// manifest carries (its signed note and an inclusion proof per entry).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <exam/core/signing.hpp>
#include <exam/export.hpp>
#include <exam/util/error.hpp>
#include <exam/util/terminal.hpp>

namespace exam {

struct PackageVerifyOptions {
    // The key the caller trusts (--public-key).
    std::optional<VerifierKey> public_key;
    // The exam point's own key, when run where a site file is found: used when no key is
    // given and it is the key of the package's exam point.
    std::optional<VerifierKey> site_key;
    std::string site_key_problem;  // why there is no site key, when a site file was at hand
};

enum class PackageKeySource { option, site, manifest };

// One thing wrong, with the file it is about (relative to the package folder).
struct PackageProblem {
    std::string file;
    std::string problem;
};

// What was checked of one camera, told as it is done (a line per camera).
struct CameraVerified {
    std::string camera;
    std::string room;
    std::size_t files = 0;
    std::size_t journalled = 0;
    std::size_t problems = 0;
};

struct PackageVerifyReport {
    std::vector<PackageProblem> problems;  // all of them, in the order found
    std::vector<CameraVerified> cameras;
    std::size_t files_hashed = 0;
    std::uint64_t bytes_hashed = 0;
    std::size_t journalled = 0;    // segments proven in the checkpoint
    std::size_t unjournalled = 0;  // segments the manifest lists without a journal entry
    std::string key_name;
    std::string fingerprint;  // of the key that checked manifest.sig
    PackageKeySource key_source = PackageKeySource::manifest;
    std::string why_origin_unproven;  // with the manifest's own key: why no trusted one was used

    [[nodiscard]] bool ok() const { return problems.empty(); }
};

// Checks the package in `folder`; `on_camera` hears of each camera when its files are done.
// Everything found wrong is reported, not only the first thing. Throws InputError only when
// `folder` is not a folder.
EXAM_EXPORT PackageVerifyReport
verify_package(const std::filesystem::path& folder, const PackageVerifyOptions& options,
               const std::function<void(const CameraVerified&)>& on_camera = {});

// 2 when anything failed; 3 when intact but only the manifest's own key vouches for it (the
// origin is unproven); 0 otherwise.
EXAM_EXPORT ExitCode package_verify_exit_code(const PackageVerifyReport& report);

EXAM_EXPORT void write_camera_verified(std::ostream& out, const CameraVerified& camera);
EXAM_EXPORT void write_package_verify_text(std::ostream& out, const PackageVerifyReport& report,
                                           const Palette& palette);

// A public key as a person gives it on the command line: the key's text
// ("name+keyid+base64"), or a file holding it. Throws UsageError naming `option` otherwise.
EXAM_EXPORT VerifierKey verifier_key_from_option(std::string_view text_or_file,
                                                 std::string_view option);

}  // namespace exam
