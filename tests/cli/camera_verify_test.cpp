// exam-camera verify driven as a commission member or an auditor would, on packages made by
// tests/support/export_package (real files, a real journal's proofs, real signatures); and the
// Python script of docs/export-format.md run on the same packages.
#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "support/export_package.hpp"
#include "support/recordings.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using exam::testing::run_tool;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class CameraVerifyCli : public exam::testing::TempDirTest {
protected:
    void SetUp() override { package = exam::testing::make_test_package(temp.path()); }

    // Run where no site file is found, as an auditor elsewhere would.
    exam::SubprocessResult verify(std::vector<std::string> extra = {}) const {
        std::vector<std::string> args{"verify", package.folder.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_tool(EXAM_CAMERA_BIN, {.args = args, .working_directory = temp / "package"});
    }
    exam::SubprocessResult verify_trusted() const {
        return verify({"--public-key", package.public_key});
    }

    exam::testing::TestPackage package;
};

}  // namespace

TEST_F(CameraVerifyCli, ASoundPackageExitsZeroWithTheKeyAndPassesSha256sum) {
    const auto run = verify_trusted();
    EXPECT_EQ(run.exit_code, 0) << run.standard_output << run.standard_error;
    EXPECT_TRUE(contains(run.standard_output, "camera cam1 (room 0101): 3 files, 2 in the journal"))
        << run.standard_output;
    EXPECT_TRUE(contains(run.standard_output, "camera cam2 (room 0101)")) << run.standard_output;
    EXPECT_TRUE(contains(run.standard_output, package.fingerprint)) << run.standard_output;

    const auto from_file =
        verify({"--public-key", temp.write("key.pub", package.public_key + "\n").string()});
    EXPECT_EQ(from_file.exit_code, 0) << from_file.standard_output << from_file.standard_error;

    const auto sums =
        exam::testing::run_program({"sha256sum", "--quiet", "-c", "SHA256SUMS"}, package.folder);
    EXPECT_EQ(sums.exit_code, 0) << sums.standard_output << sums.standard_error;
}

TEST_F(CameraVerifyCli, AFlippedByteInAnyFileExitsTwoNamingIt) {
    for (const std::string& file : package.files) {
        SCOPED_TRACE(file);
        const std::string original = exam::testing::read_file(package.folder / file);
        exam::testing::flip_one_byte(package.folder / file);
        const auto run = verify_trusted();
        EXPECT_EQ(run.exit_code, 2) << run.standard_output << run.standard_error;
        if (file != "SHA256SUMS") {
            EXPECT_TRUE(contains(run.standard_output, file + ":")) << run.standard_output;
        } else {
            EXPECT_TRUE(contains(run.standard_output, "FAILED")) << run.standard_output;
        }
        temp.write("package/" + file, original);
    }
    EXPECT_EQ(verify_trusted().exit_code, 0);
}

TEST_F(CameraVerifyCli, ADeletedOrAddedFileExitsTwoNamingIt) {
    const std::string segment = package.files.front();
    const std::string original = exam::testing::read_file(package.folder / segment);
    fs::remove(package.folder / segment);
    auto run = verify_trusted();
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_TRUE(contains(run.standard_output, segment + ": is missing")) << run.standard_output;
    temp.write("package/" + segment, original);

    temp.write("package/77-0001/notes.txt", "added later");
    run = verify_trusted();
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_TRUE(contains(run.standard_output, "77-0001/notes.txt: is not listed in SHA256SUMS"))
        << run.standard_output;
}

TEST_F(CameraVerifyCli, AnEditedManifestExitsTwoNamingIt) {
    std::string json = exam::testing::read_file(package.folder / "manifest.json");
    json.replace(json.find("\"exported_by\": \"Tester\""), 23, "\"exported_by\": \"Someone\"");
    temp.write("package/manifest.json", json);
    const auto run = verify_trusted();
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_TRUE(contains(run.standard_output, "manifest.sig: is not a valid signature"))
        << run.standard_output;
    EXPECT_TRUE(contains(run.standard_output, "manifest.json: was changed")) << run.standard_output;
}

TEST_F(CameraVerifyCli, WithoutATrustedKeyExitsThreeWithTheFingerprint) {
    const auto run = verify();
    EXPECT_EQ(run.exit_code, 3) << run.standard_output << run.standard_error;
    EXPECT_TRUE(contains(run.standard_output, "UNPROVEN")) << run.standard_output;
    EXPECT_TRUE(contains(run.standard_output, package.fingerprint)) << run.standard_output;
}

TEST_F(CameraVerifyCli, AtTheExamPointItsOwnKeyVouches) {
    const auto run =
        run_tool(EXAM_CAMERA_BIN, {.args = {"verify", package.folder.string()},
                                   .environment = {{"EXAM_SITE", package.site_file.string()}}});
    EXPECT_EQ(run.exit_code, 0) << run.standard_output << run.standard_error;
    EXPECT_TRUE(contains(run.standard_output, "this exam point's own key")) << run.standard_output;
}

TEST_F(CameraVerifyCli, ABadKeyOrFolderIsAUsageOrInputError) {
    EXPECT_EQ(verify({"--public-key", "nonsense"}).exit_code, 64);
    const auto run = run_tool(EXAM_CAMERA_BIN, {.args = {"verify", (temp / "nowhere").string()}});
    EXPECT_EQ(run.exit_code, 65) << run.standard_error;
}

namespace {

// The script between the marker lines of docs/export-format.md, written to `file`.
void extract_script(const fs::path& file) {
    const std::string doc =
        exam::testing::read_file(fs::path{EXAM_SOURCE_DIR} / "docs/export-format.md");
    const std::string begin = "# --- begin verify_package.py ---\n";
    const std::string end = "# --- end verify_package.py ---\n";
    const std::size_t from = doc.find(begin);
    const std::size_t to = doc.find(end);
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    std::ofstream out(file);
    out << doc.substr(from, to + end.size() - from);
}

}  // namespace

TEST_F(CameraVerifyCli, ThePythonScriptOfTheFormatDocPassesASoundPackageAndFailsAFlippedByte) {
    const fs::path script = temp / "verify_package.py";
    extract_script(script);
    auto run = exam::testing::run_program(
        {"/usr/bin/python3", script.string(), package.folder.string(), package.public_key});
    EXPECT_EQ(run.exit_code, 0) << run.standard_output << run.standard_error;
    EXPECT_TRUE(contains(run.standard_output, "OK")) << run.standard_output;

    // The manifest edited and its signature damaged (the signature catches both), and a
    // segment flipped (the sums do).
    const auto segment =
        std::find_if(package.files.begin(), package.files.end(),
                     [](const std::string& file) { return file.ends_with(".mp4"); });
    ASSERT_NE(segment, package.files.end());
    for (const std::string& file :
         {std::string{"manifest.json"}, std::string{"manifest.sig"}, *segment}) {
        SCOPED_TRACE(file);
        const std::string original = exam::testing::read_file(package.folder / file);
        exam::testing::flip_one_byte(package.folder / file);
        run = exam::testing::run_program(
            {"/usr/bin/python3", script.string(), package.folder.string(), package.public_key});
        EXPECT_NE(run.exit_code, 0) << run.standard_output;
        EXPECT_TRUE(contains(run.standard_output + run.standard_error, file))
            << run.standard_output << run.standard_error;
        temp.write("package/" + file, original);
    }
    // Another key: the signature fails.
    const std::string other = "examkit/ppe/77/0001+00000000+AAAA";
    run = exam::testing::run_program(
        {"/usr/bin/python3", script.string(), package.folder.string(), other});
    EXPECT_NE(run.exit_code, 0);
}
