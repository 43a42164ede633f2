// exam-camera verify DIR [--public-key K]: an export package checked again, anywhere.
#include <iostream>
#include <memory>

#include <exam/archive/package_verify.hpp>
#include <exam/journal/verify.hpp>
#include <exam/util/translate.hpp>

#include "commands.hpp"

namespace {

struct VerifyOptions {
    std::string folder;
    std::string public_key;
};

int verify(const exam::tool::Tool& tool, const VerifyOptions& options) {
    exam::PackageVerifyOptions verify_options;
    if (!options.public_key.empty()) {
        verify_options.public_key =
            exam::verifier_key_from_option(options.public_key, "--public-key");
    } else if (const std::optional<exam::Site> site = tool.load_site_if_any()) {
        // At the exam point its own key vouches for its packages; an unreadable key there is
        // no reason not to check integrity, so it is only said why.
        try {
            verify_options.site_key = exam::site_public_key(*site, verify_options.site_key_problem);
        } catch (const exam::ConfigError& e) {
            verify_options.site_key_problem = e.what();
        }
    }
    const exam::PackageVerifyReport report = exam::verify_package(
        options.folder, verify_options,
        [](const exam::CameraVerified& camera) { exam::write_camera_verified(std::cout, camera); });
    exam::write_package_verify_text(std::cout, report, tool.stdout_palette());
    return static_cast<int>(exam::package_verify_exit_code(report));
}

}  // namespace

void add_verify_command(exam::tool::Tool& tool) {
    auto options = std::make_shared<VerifyOptions>();
    auto* command = tool.add_command(
        "verify",
        _("Check an export package: every file's hash, the manifest's signature, the journal "
          "checkpoint and each segment's inclusion proof. Exit 0: sound; 2: a file is changed, "
          "missing or extra, or the manifest was edited; 3: intact, but only the key the package "
          "carries vouches for it"),
        [&tool, options] { return verify(tool, *options); });
    command->add_option("DIR", options->folder, _("The package's folder (holding manifest.json)"))
        ->required();
    command
        ->add_option("--public-key", options->public_key,
                     _("The exam point's public key to trust, or a file holding it (default: the "
                       "exam point's own key when run there)"))
        ->type_name("KEY");
}
