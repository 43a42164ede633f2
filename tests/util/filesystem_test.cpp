#include <gtest/gtest.h>
#include <sys/stat.h>

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
