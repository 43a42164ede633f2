#include <sstream>

#include <gtest/gtest.h>

#include <exam/archive/checksums.hpp>
#include <exam/archive/manifest.hpp>
#include <exam/archive/package_verify.hpp>
#include <exam/core/site_loader.hpp>
#include <exam/journal/journal.hpp>
#include <exam/journal/verify.hpp>
#include <exam/util/sha256.hpp>

#include "support/export_package.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

class PackageVerifyTest : public exam::testing::TempDirTest {
protected:
    exam::PackageVerifyReport verify(const exam::testing::TestPackage& package) const {
        exam::PackageVerifyOptions options;
        options.public_key = exam::VerifierKey::parse(package.public_key);
        return exam::verify_package(package.folder, options);
    }

    // Whether some problem names `file`.
    static bool names(const exam::PackageVerifyReport& report, const std::string& file) {
        for (const exam::PackageProblem& problem : report.problems) {
            if (problem.file == file) {
                return true;
            }
        }
        return false;
    }

    static std::string problems(const exam::PackageVerifyReport& report) {
        std::ostringstream text;
        exam::write_package_verify_text(text, report, exam::Palette{});
        return text.str();
    }
};

}  // namespace

TEST_F(PackageVerifyTest, ASoundPackagePassesWithTheTrustedKey) {
    const auto package = exam::testing::make_test_package(temp.path());
    std::vector<std::string> cameras;
    exam::PackageVerifyOptions options;
    options.public_key = exam::VerifierKey::parse(package.public_key);
    const auto report = exam::verify_package(
        package.folder, options,
        [&](const exam::CameraVerified& camera) { cameras.push_back(camera.camera); });
    EXPECT_TRUE(report.ok()) << problems(report);
    EXPECT_EQ(exam::package_verify_exit_code(report), exam::ExitCode::ok);
    EXPECT_EQ(cameras, (std::vector<std::string>{"cam1", "cam2"}));
    EXPECT_EQ(report.journalled, 4u);
    EXPECT_EQ(report.files_hashed, package.files.size() - 1) << "all but SHA256SUMS, once each";
    EXPECT_EQ(report.key_source, exam::PackageKeySource::option);
}

TEST_F(PackageVerifyTest, AFlippedByteInAnyFileFailsNamingIt) {
    const auto package = exam::testing::make_test_package(temp.path(), {.cameras = 1});
    for (const std::string& file : package.files) {
        SCOPED_TRACE(file);
        const std::string original = exam::testing::read_file(package.folder / file);
        exam::testing::flip_one_byte(package.folder / file);
        const auto report = verify(package);
        EXPECT_FALSE(report.ok());
        EXPECT_EQ(exam::package_verify_exit_code(report), exam::ExitCode::negative);
        const bool named = names(report, file) ||
                           // A damaged SHA256SUMS names the files it no longer matches, or itself.
                           (file == "SHA256SUMS" && !report.problems.empty());
        EXPECT_TRUE(named) << problems(report);
        temp.write(fs::relative(package.folder / file, temp.path()).string(), original);
    }
    EXPECT_TRUE(verify(package).ok());
}

TEST_F(PackageVerifyTest, AMissingOrAddedFileFailsNamingIt) {
    const auto package = exam::testing::make_test_package(temp.path(), {.cameras = 1});
    const std::string segment = package.files.front();
    fs::rename(package.folder / segment, temp / "aside");
    auto report = verify(package);
    EXPECT_TRUE(names(report, segment)) << problems(report);
    fs::rename(temp / "aside", package.folder / segment);

    temp.write("package/77-0001/extra.mp4", "not listed");
    report = verify(package);
    EXPECT_TRUE(names(report, "77-0001/extra.mp4")) << problems(report);
    EXPECT_EQ(exam::package_verify_exit_code(report), exam::ExitCode::negative);
}

TEST_F(PackageVerifyTest, AnEditedManifestFailsItsSignatureEvenWithNewSums) {
    const auto package = exam::testing::make_test_package(temp.path(), {.cameras = 1});
    std::string json = exam::testing::read_file(package.folder / "manifest.json");
    json.replace(json.find("\"exported_by\": \"Tester\""), 23, "\"exported_by\": \"Someone\"");
    temp.write("package/manifest.json", json);
    // The editor also rewrites SHA256SUMS so that sha256sum -c passes: the signature still fails.
    std::vector<exam::Checksum> sums =
        exam::parse_sha256sums(exam::testing::read_file(package.folder / "SHA256SUMS"), "sums");
    for (exam::Checksum& sum : sums) {
        sum.sha256 = exam::to_hex(exam::sha256_file(package.folder / sum.path));
    }
    temp.write("package/SHA256SUMS", exam::sha256sums_text(sums));
    const auto report = verify(package);
    EXPECT_TRUE(names(report, "manifest.sig")) << problems(report);
    EXPECT_EQ(report.problems.size(), 1u) << problems(report);
}

TEST_F(PackageVerifyTest, WithoutATrustedKeyIntegrityOnlyAndTheFingerprint) {
    const auto package = exam::testing::make_test_package(temp.path(), {.cameras = 1});
    const auto report = exam::verify_package(package.folder, {});
    EXPECT_TRUE(report.ok()) << problems(report);
    EXPECT_EQ(report.key_source, exam::PackageKeySource::manifest);
    EXPECT_EQ(exam::package_verify_exit_code(report), exam::ExitCode::could_not_check);
    const std::string text = problems(report);
    EXPECT_NE(text.find(package.fingerprint), std::string::npos) << text;
    EXPECT_NE(text.find("UNPROVEN"), std::string::npos) << text;
}

TEST_F(PackageVerifyTest, TheExamPointsOwnKeyVouchesAtTheExamPoint) {
    const auto package = exam::testing::make_test_package(temp.path(), {.cameras = 1});
    exam::PackageVerifyOptions options;
    const exam::Site site = exam::load_site(package.site_file);
    options.site_key = exam::site_public_key(site, options.site_key_problem);
    const auto report = exam::verify_package(package.folder, options);
    EXPECT_TRUE(report.ok()) << problems(report);
    EXPECT_EQ(report.key_source, exam::PackageKeySource::site);
    EXPECT_EQ(exam::package_verify_exit_code(report), exam::ExitCode::ok);
}

TEST_F(PackageVerifyTest, AnotherKeyFailsTheSignatureAndTheCheckpoint) {
    const auto package = exam::testing::make_test_package(temp.path(), {.cameras = 1});
    exam::PackageVerifyOptions options;
    options.public_key = exam::SigningKey::generate("examkit/ppe/77/0001").verifier();
    const auto report = exam::verify_package(package.folder, options);
    EXPECT_TRUE(names(report, "manifest.sig")) << problems(report);
    EXPECT_TRUE(names(report, "manifest.json")) << problems(report);
    EXPECT_EQ(exam::package_verify_exit_code(report), exam::ExitCode::negative);
}

TEST_F(PackageVerifyTest, ASegmentWithoutJournalEntryIsCountedNotPassedOff) {
    const auto package =
        exam::testing::make_test_package(temp.path(), {.cameras = 1, .one_unjournalled = true});
    const auto report = verify(package);
    EXPECT_TRUE(report.ok()) << problems(report);
    EXPECT_EQ(report.journalled, 1u);
    EXPECT_EQ(report.unjournalled, 1u);
}

TEST_F(PackageVerifyTest, AProofThatDoesNotLeadToTheRootFailsEvenWhenSigned) {
    // A manifest whose proof is wrong but which the exam point's key signed (a bug, or a key
    // in the wrong hands): the proof itself is checked, not only the signature.
    const auto package = exam::testing::make_test_package(temp.path(), {.cameras = 1});
    exam::Manifest manifest = exam::parse_manifest(
        exam::testing::read_file(package.folder / "manifest.json"), "manifest.json");
    auto& journal = *manifest.cameras[0].files[0].journal;
    std::swap(journal.proof.front(), journal.proof.back());
    journal.proof.push_back(journal.proof.front());
    const std::string json = exam::manifest_json(manifest);
    const exam::Site site = exam::load_site(package.site_file);
    const auto key = exam::SigningKey::parse(
        exam::testing::read_file(site.paths.keys / "journal-signing.key"), "key");
    temp.write("package/manifest.json", json);
    temp.write("package/manifest.sig", exam::sign_manifest(json, key));
    const auto report = verify(package);
    EXPECT_TRUE(names(report, manifest.cameras[0].files[0].path)) << problems(report);
}

TEST_F(PackageVerifyTest, KeyOptionTakesTheTextOrAFileHoldingIt) {
    const std::string text = exam::SigningKey::generate("examkit/ppe/77/0001").verifier().to_text();
    EXPECT_EQ(exam::verifier_key_from_option(text, "--public-key").to_text(), text);
    const auto file = temp.write("key.pub", text + "\n");
    EXPECT_EQ(exam::verifier_key_from_option(file.string(), "--public-key").to_text(), text);
    EXPECT_THROW((void)exam::verifier_key_from_option("nonsense", "--public-key"),
                 exam::UsageError);
    const auto bad = temp.write("bad.pub", "nonsense\n");
    EXPECT_THROW((void)exam::verifier_key_from_option(bad.string(), "--public-key"),
                 exam::UsageError);
}
