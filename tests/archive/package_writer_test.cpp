#include <fstream>

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <exam/archive/package_writer.hpp>
#include <exam/util/error.hpp>
#include <exam/util/sha256.hpp>

#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

class PackageWriterTest : public exam::testing::TempDirTest {
protected:
    // A file of `bytes` bytes that are not all alike, so that a wrong block shows.
    fs::path make_source(const std::string& name, std::size_t bytes) const {
        std::string content(bytes, '\0');
        for (std::size_t i = 0; i < bytes; ++i) {
            content[i] = static_cast<char>((i * 131) % 251);
        }
        return temp.write(name, content);
    }

    static std::vector<fs::path> files_under(const fs::path& folder) {
        std::vector<fs::path> found;
        for (const auto& entry : fs::recursive_directory_iterator(folder)) {
            if (entry.is_regular_file()) {
                found.push_back(fs::relative(entry.path(), folder));
            }
        }
        return found;
    }
};

}  // namespace

TEST_F(PackageWriterTest, CopiesHashesAndPlacesTheFileUnderItsFinalName) {
    const auto source = make_source("source.mp4", 20u << 20);  // more than two blocks
    const std::string expected = exam::to_hex(exam::sha256_file(source));
    exam::PackageWriter writer(temp / "out");
    std::uint64_t reported = 0;
    const auto result = writer.copy_file(source, "77-0001/2026-06-01/0101/front/a.mp4", expected,
                                         [&](std::uint64_t n) { reported += n; });
    EXPECT_EQ(result.outcome, exam::CopyOutcome::verified);
    EXPECT_EQ(result.file.sha256, expected);
    EXPECT_EQ(result.file.bytes, 20u << 20);
    EXPECT_EQ(reported, 20u << 20);
    const fs::path copy = temp / "out/77-0001/2026-06-01/0101/front/a.mp4";
    EXPECT_EQ(exam::to_hex(exam::sha256_file(copy)), expected);
    EXPECT_EQ(files_under(temp / "out"),
              std::vector<fs::path>{"77-0001/2026-06-01/0101/front/a.mp4"});
}

TEST_F(PackageWriterTest, AnAlteredSourceLeavesNothingInThePackage) {
    const auto source = make_source("source.mp4", 1000);
    exam::PackageWriter writer(temp / "out");
    const std::string recorded(64, 'a');
    const auto result = writer.copy_file(source, "cam/a.mp4", recorded);
    EXPECT_EQ(result.outcome, exam::CopyOutcome::altered);
    EXPECT_EQ(result.file.sha256, exam::to_hex(exam::sha256_file(source)));
    EXPECT_TRUE(files_under(temp / "out").empty());
}

TEST_F(PackageWriterTest, WritesSmallFilesTheSameVerifiedWay) {
    exam::PackageWriter writer(temp / "out");
    const auto written = writer.write_file("manifest.json", "{}\n");
    EXPECT_EQ(written.bytes, 3u);
    EXPECT_EQ(written.sha256, exam::to_hex(exam::sha256("{}\n")));
    EXPECT_EQ(exam::testing::read_file(temp / "out/manifest.json"), "{}\n");
}

TEST_F(PackageWriterTest, AFullDestinationFailsNamingTheFileAndLeavesNoPart) {
    exam::testing::ScopedTmpfs tmpfs(temp / "stick", "1m");
    ASSERT_TRUE(tmpfs.mounted());
    const auto source = make_source("source.mp4", 3u << 20);
    exam::PackageWriter writer(temp / "stick");
    try {
        (void)writer.copy_file(source, "cam/a.mp4", std::nullopt);
        FAIL() << "a 3 MB file went onto a 1 MB disk";
    } catch (const exam::StorageError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("cam/a.mp4"), std::string::npos) << message;
        EXPECT_NE(message.find("the destination is full"), std::string::npos) << message;
    }
    EXPECT_TRUE(files_under(temp / "stick").empty());
}

TEST_F(PackageWriterTest, AReadOnlyDestinationFailsSayingSo) {
    fs::create_directories(temp / "stick");
    ASSERT_EQ(::mount("tmpfs", (temp / "stick").c_str(), "tmpfs", MS_RDONLY, "size=1m"), 0);
    const auto source = make_source("source.mp4", 1000);
    exam::PackageWriter writer(temp / "stick");
    try {
        (void)writer.copy_file(source, "a.mp4", std::nullopt);
        ADD_FAILURE() << "wrote onto a read-only disk";
    } catch (const exam::StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
    }
    ::umount((temp / "stick").c_str());
}

TEST_F(PackageWriterTest, LeftoverPartFilesAreRemoved) {
    temp.write("out/cam/a.mp4.part", "half");
    temp.write("out/cam/b.mp4", "whole");
    exam::remove_partial_files(temp / "out");
    EXPECT_EQ(files_under(temp / "out"), std::vector<fs::path>{"cam/b.mp4"});
}
