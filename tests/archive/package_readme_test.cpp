#include <gtest/gtest.h>

#include <exam/archive/manifest.hpp>
#include <exam/archive/package_readme.hpp>

#include "support/export_package.hpp"
#include "support/temp_dir.hpp"

namespace {

class PackageReadmeTest : public exam::testing::TempDirTest {};

}  // namespace

TEST_F(PackageReadmeTest, SelfContainedEscapedWithBarsFilesAndHowToCheck) {
    const auto package = exam::testing::make_test_package(temp.path(), {.cameras = 1});
    exam::Manifest manifest = exam::parse_manifest(
        exam::testing::read_file(package.folder / "manifest.json"), "manifest.json");
    auto& coverage = manifest.cameras[0].coverage;
    const exam::TimeRange window = coverage.window;
    const auto middle = window.from + (window.to - window.from) / 4;
    coverage.stretches = {{.range = {window.from, middle}, .state = exam::CoverageState::recorded},
                          {.range = {middle, window.to},
                           .state = exam::CoverageState::gap,
                           .reason = "camera <off> & unplugged"}};
    const std::string html = exam::package_readme_html(manifest);

    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos) << "no outside files";
    EXPECT_EQ(html.find("http"), std::string::npos) << "no outside files";
    // Text from the site is escaped, never markup.
    EXPECT_NE(html.find("Школа &lt;№ 1&gt; &amp; Co"), std::string::npos);
    EXPECT_EQ(html.find("<№ 1>"), std::string::npos);
    EXPECT_NE(html.find("camera &lt;off&gt; &amp; unplugged"), std::string::npos);
    // The bar: a quarter recorded, the rest a gap; and a legend.
    EXPECT_NE(html.find("class=\"recorded\" style=\"width:25.000%\""), std::string::npos) << html;
    EXPECT_NE(html.find("class=\"gap\" style=\"width:75.000%\""), std::string::npos) << html;
    EXPECT_NE(html.find("class=\"key missing\""), std::string::npos);
    // Files, the fingerprint, and how to check.
    EXPECT_NE(html.find(manifest.cameras[0].files[0].path), std::string::npos);
    EXPECT_NE(html.find(manifest.cameras[0].files[0].sha256), std::string::npos);
    EXPECT_NE(html.find(package.fingerprint), std::string::npos);
    EXPECT_NE(html.find("exam-camera verify DIR --public-key KEY"), std::string::npos);
    EXPECT_NE(html.find("sha256sum -c SHA256SUMS"), std::string::npos);
    EXPECT_NE(html.find("docs/export-format.md"), std::string::npos);
    EXPECT_NE(html.find("2026-06-01 10:00:00 +03:00"), std::string::npos) << "local times";
}
