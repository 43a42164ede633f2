#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>

#include "support/temp_dir.hpp"

TEST(NetworkFilesystem, KnowsNetworkTypes) {
    for (const char* type : {"nfs", "nfs4", "cifs", "smb3", "9p", "fuse.sshfs", "ceph"}) {
        EXPECT_TRUE(exam::is_network_filesystem_type(type)) << type;
    }
    for (const char* type : {"ext4", "xfs", "btrfs", "tmpfs", "overlay", "fuse.fuse-overlayfs"}) {
        EXPECT_FALSE(exam::is_network_filesystem_type(type)) << type;
    }
}

TEST(Mountinfo, FindsTheMountOfADevice) {
    const std::string mountinfo =
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "40 22 0:52 / /mnt/exam\\040share rw,relatime shared:20 - nfs4 srv:/exports rw,vers=4.2\n"
        "41 22 0:53 / /srv/tmp rw - tmpfs tmpfs rw\n";
    const auto nfs = exam::find_mount(mountinfo, 0, 52);
    ASSERT_TRUE(nfs.has_value());
    EXPECT_EQ(nfs->type, "nfs4");
    EXPECT_EQ(nfs->mount_point, "/mnt/exam share");
    const auto root = exam::find_mount(mountinfo, 8, 1);
    ASSERT_TRUE(root.has_value());
    EXPECT_EQ(root->type, "ext4");
    EXPECT_FALSE(exam::find_mount(mountinfo, 9, 9).has_value());
}

class Filesystem : public exam::testing::TempDirTest {};

TEST_F(Filesystem, LocalFolderIsNotNetwork) {
    const auto info = exam::filesystem_of(temp.path());
    EXPECT_FALSE(info.type.empty());
    EXPECT_FALSE(info.is_network);
}

TEST_F(Filesystem, MissingPathIsJudgedByItsNearestParent) {
    const auto info = exam::filesystem_of(temp / "not" / "yet" / "there.sqlite");
    EXPECT_EQ(info.type, exam::filesystem_of(temp.path()).type);
}

TEST_F(Filesystem, BareRelativeNameIsJudgedByTheWorkingDirectory) {
    EXPECT_EQ(exam::filesystem_of("not-yet-there.sqlite").type, exam::filesystem_of(".").type);
}

TEST_F(Filesystem, AtomicWriteLeavesExactContentAndMode) {
    const auto file = temp / "secret.key";
    exam::write_file_atomically(file, "content", 0600, exam::Overwrite::refuse);
    EXPECT_EQ(exam::testing::read_file(file), "content");
    struct stat status {};
    ASSERT_EQ(::stat(file.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0600u);
    // Nothing but the file itself is left in the folder.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(temp.path()),
                            std::filesystem::directory_iterator{}),
              1);
}

TEST_F(Filesystem, AtomicWriteRefusesToOverwriteWhenAskedTo) {
    const auto file = temp.write("existing", "old");
    EXPECT_THROW(exam::write_file_atomically(file, "new", 0600, exam::Overwrite::refuse),
                 exam::StorageError);
    EXPECT_EQ(exam::testing::read_file(file), "old");
    exam::write_file_atomically(file, "new", 0600, exam::Overwrite::allow);
    EXPECT_EQ(exam::testing::read_file(file), "new");
}

TEST_F(Filesystem, AtomicWriteIntoAMissingFolderIsAStorageError) {
    EXPECT_THROW(
        exam::write_file_atomically(temp / "nope" / "f", "x", 0600, exam::Overwrite::allow),
        exam::StorageError);
}

TEST_F(Filesystem, ReadTextFileReturnsTheWholeContent) {
    std::string big(200000, 'x');
    big += "\nend\n";
    const auto file = temp.write("big.txt", big);
    EXPECT_EQ(exam::read_text_file(file, "the staff list"), big);
    EXPECT_EQ(exam::read_text_file(temp.write("empty.txt", ""), "the staff list"), "");
}

TEST_F(Filesystem, ReadTextFileSaysAMissingFileDoesNotExistAndWhatToDo) {
    try {
        exam::read_text_file(temp / "staff.csv", "the staff list");
        FAIL() << "read a missing file";
    } catch (const exam::InputError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("cannot read the staff list \"" + (temp / "staff.csv").string() +
                               "\": No such file or directory; check the path"),
                  std::string::npos)
            << message;
    }
}

TEST_F(Filesystem, ReadTextFileOfAConfigurationIsAConfigErrorWithTheCallersAdvice) {
    try {
        exam::read_text_file(temp / "keys" / "journal.key", "the journal's signing key",
                             exam::FileRole::configuration, "run 'exam-journal init'");
        FAIL() << "read a missing file";
    } catch (const exam::ConfigError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("No such file or directory; run 'exam-journal init'"),
                  std::string::npos)
            << message;
    }
}

TEST_F(Filesystem, ReadTextFileSaysAFolderIsAFolder) {
    std::filesystem::create_directory(temp / "suite.toml");
    try {
        exam::read_text_file(temp / "suite.toml", "the suite", exam::FileRole::configuration);
        FAIL() << "read a folder";
    } catch (const exam::ConfigError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("Is a directory; that is a folder: name the file inside it"),
                  std::string::npos)
            << message;
    }
}

// Tests run as root, whom file modes do not stop: the read is tried as "nobody" in a child.
TEST_F(Filesystem, ReadTextFileSaysPermissionIsDeniedAndHowToCheck) {
    const auto file = temp.write("roster.csv", "name;role;document\n");
    ::chmod(file.c_str(), 0600);
    int pipe_ends[2];
    ASSERT_EQ(::pipe(pipe_ends), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipe_ends[0]);
        std::string message = "no error";
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) {
            message = "could not become nobody";
        } else {
            try {
                exam::read_text_file(file, "the staff list");
            } catch (const exam::InputError& e) {
                message = e.what();
            }
        }
        const auto written = ::write(pipe_ends[1], message.data(), message.size());
        ::_exit(written < 0 ? 1 : 0);
    }
    ::close(pipe_ends[1]);
    std::string message;
    char buffer[4096];
    for (ssize_t n = 0; (n = ::read(pipe_ends[0], buffer, sizeof buffer)) > 0;) {
        message.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(pipe_ends[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_NE(message.find("Permission denied; this user may not read it: check its "
                           "permissions with 'ls -l'"),
              std::string::npos)
        << message;
}

TEST(FreeBytes, AFolderNotMadeYetIsMeasuredOnTheDiskItWillBeOn) {
    std::string problem;
    const auto here = exam::free_bytes_on_disk_of("/tmp", problem);
    const auto later = exam::free_bytes_on_disk_of("/tmp/not/made/yet", problem);
    ASSERT_TRUE(here) << problem;
    ASSERT_TRUE(later) << problem;
    EXPECT_GT(*here, 0u);
    // The same disk, measured a moment apart: within a few megabytes of each other.
    const auto difference = *here > *later ? *here - *later : *later - *here;
    EXPECT_LT(difference, 64u * 1024 * 1024);
}
