// File system facts that storage decisions depend on: what kind of file system a path is on
// (SQLite's locking does not hold on network file systems), and writing a file so that a
// crash leaves either the old or the new content, never half of one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
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

// A file written through a stream that appears whole or not at all: the text goes to a
// temporary file beside the target; commit() syncs it and renames it into place. A writer
// destroyed without commit (an error, a full disk) removes the temporary file, so a reader
// never finds half a report or half an export.
class EXAM_EXPORT AtomicFileWriter {
public:
    // Throws StorageError naming the file when it cannot be created.
    explicit AtomicFileWriter(std::filesystem::path target, mode_t mode = 0640);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

    std::ostream& stream() { return m_out; }
    // Throws StorageError when anything written failed; the target is then left untouched.
    void commit();

private:
    std::filesystem::path m_target;
    std::filesystem::path m_temporary;
    std::ofstream m_out;
    bool m_committed = false;
};

// Free bytes (for an unprivileged writer) on the disk that holds `folder`, or would hold it:
// a folder not made yet is measured at its nearest existing parent. nullopt when even that
// cannot be examined; `problem` then says why.
EXAM_EXPORT std::optional<std::uint64_t> free_bytes_on_disk_of(const std::filesystem::path& folder,
                                                               std::string& problem);

// Which error an unreadable file is, so that each caller keeps its documented exit code:
// data handed to a command (a staff list, a report) is input (InputError, 65); the site file,
// a suite, waivers and keys are configuration (ConfigError, 78).
enum class FileRole { input, configuration };

// The whole content of a text file. When it cannot be read, the error names `what` ("the
// staff list") and the path, says why (the system's reason: no such file, permission denied,
// a folder) and what to do; `when_missing` replaces the advice for a file that does not exist
// ("run 'exam-journal init' ...") where the caller knows better than "check the path".
EXAM_EXPORT std::string read_text_file(const std::filesystem::path& path, std::string_view what,
                                       FileRole role = FileRole::input,
                                       std::string_view when_missing = {});

// fsync of a file's content, before it is renamed or linked into place.
EXAM_EXPORT void sync_file(const std::filesystem::path& file);

// fsync of a folder, so that a file created or renamed in it survives a power cut.
EXAM_EXPORT void sync_directory(const std::filesystem::path& directory);

}  // namespace exam
