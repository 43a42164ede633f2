// File system facts that storage decisions depend on: what kind of file system a path is on
// (SQLite's locking does not hold on network file systems), and writing a file so that a
// crash leaves either the old or the new content, never half of one.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

#include <exam/export.hpp>

namespace exam {

struct FilesystemInfo {
    std::string
        type;  // as the kernel names it in /proc/self/mountinfo: "ext4", "nfs4", "fuse.sshfs"
    std::string mount_point;
    bool is_network = false;
};

// The file system holding `path`, or its nearest existing parent when `path` does not exist
// yet. Throws StorageError when not even the parent can be examined.
EXAM_EXPORT FilesystemInfo filesystem_of(const std::filesystem::path& path);

// Whether a file system type name (mountinfo's spelling) is one reached over a network.
EXAM_EXPORT bool is_network_filesystem_type(std::string_view type);

// The mountinfo line for device `major:minor`, as (type, mount point); nullopt when absent.
// Separate from filesystem_of so that its parsing is tested on crafted text.
struct MountEntry {
    std::string type;
    std::string mount_point;
};
EXAM_EXPORT std::optional<MountEntry> find_mount(std::string_view mountinfo, unsigned major,
                                                 unsigned minor);

// Writes `content` to a temporary file beside `path`, syncs it, renames it over `path` and
// syncs the folder. With `must_not_exist`, refuses (StorageError) when `path` exists.
enum class Overwrite { allow, refuse };
EXAM_EXPORT void write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                       mode_t mode, Overwrite overwrite);

// fsync of a folder, so that a file created or renamed in it survives a power cut.
EXAM_EXPORT void sync_directory(const std::filesystem::path& directory);

}  // namespace exam
