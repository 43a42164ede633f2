#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

std::string errno_text() {
    return std::strerror(errno);
}

// What a person can do about a file that could not be read, by the system's reason.
std::string advice_for(int error, std::string_view when_missing) {
    switch (error) {
        case ENOENT:
        case ENOTDIR:
            return when_missing.empty()
                       ? std::string{_("check the path (a relative path starts in the current "
                                       "folder)")}
                       : std::string{when_missing};
        case EACCES:
        case EPERM:
            return _(
                "this user may not read it: check its permissions with 'ls -l', or run as a "
                "user who may");
        case EISDIR: return _("that is a folder: name the file inside it");
        default: return _("check the disk or the medium the file is on, then try again");
    }
}

// mountinfo escapes spaces and a few other characters in paths as \ooo octal.
std::string unescape_mount_path(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size()) {
            const std::string_view digits = text.substr(i + 1, 3);
            if (digits.find_first_not_of("01234567") == std::string_view::npos) {
                out += static_cast<char>((digits[0] - '0') * 64 + (digits[1] - '0') * 8 +
                                         (digits[2] - '0'));
                i += 3;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

// The file system type from statfs's magic number, for when mountinfo has no matching line.
std::string type_from_magic(long magic) {
    switch (static_cast<unsigned long>(magic)) {
        case 0x6969: return "nfs";
        case 0x517B: return "smbfs";
        case 0xFF534D42: return "cifs";
        case 0xFE534D42: return "smb3";
        case 0x01021997: return "9p";
        case 0x5346414F: return "afs";
        case 0x00C36400: return "ceph";
        case 0x0BD00BD0: return "lustre";
        case 0x65735546: return "fuse";
        case 0x01021994: return "tmpfs";
        case 0xEF53: return "ext4";
        default: return fmt::format("unknown (0x{:x})", static_cast<unsigned long>(magic));
    }
}

}  // namespace

bool is_network_filesystem_type(std::string_view type) {
    static constexpr std::array<std::string_view, 24> k_network{
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "9p",
        "afs",
        "coda",
        "ceph",
        "glusterfs",
        "lustre",
        "gfs2",
        "ocfs2",
        "davfs",
        "fuse.sshfs",
        "fuse.glusterfs",
        "fuse.s3fs",
        "fuse.rclone",
        "fuse.ceph-fuse",
        "fuse.gcsfuse",
        "fuse.curlftpfs",
        "fuse.davfs2",
        "fuse.juicefs",
    };
    for (const std::string_view network : k_network) {
        if (type == network) {
            return true;
        }
    }
    return false;
}

std::optional<MountEntry> find_mount(std::string_view mountinfo, unsigned major, unsigned minor) {
    const std::string device = fmt::format("{}:{}", major, minor);
    std::istringstream lines{std::string{mountinfo}};
    std::string line;
    std::optional<MountEntry> found;
    while (std::getline(lines, line)) {
        // id parent major:minor root mount-point options [optional...] - type source super
        std::istringstream fields{line};
        std::string id, parent, dev, root, mount_point;
        if (!(fields >> id >> parent >> dev >> root >> mount_point) || dev != device) {
            continue;
        }
        std::string field;
        while (fields >> field && field != "-") {
        }
        std::string type;
        if (field == "-" && fields >> type) {
            // A later line for the same device is a mount stacked on top: it wins.
            found = MountEntry{type, unescape_mount_path(mount_point)};
        }
    }
    return found;
}

FilesystemInfo filesystem_of(const std::filesystem::path& path) {
    std::filesystem::path probe = path.empty() ? std::filesystem::path{"."} : path;
    std::error_code ignored;
    // A path not made yet is judged by its nearest existing folder; a bare relative name by
    // the working directory.
    while (!std::filesystem::exists(probe, ignored)) {
        if (!probe.has_parent_path()) {
            probe = ".";
            break;
        }
        if (probe == probe.parent_path()) {
            break;
        }
        probe = probe.parent_path();
    }
    struct stat status {};
    struct statfs fs {};
    if (stat(probe.c_str(), &status) != 0 || statfs(probe.c_str(), &fs) != 0) {
        throw StorageError(
            _f("cannot examine the file system of \"{}\": {}", path.string(), errno_text()));
    }
    FilesystemInfo info;
    std::ifstream mountinfo_file("/proc/self/mountinfo");
    std::stringstream mountinfo;
    mountinfo << mountinfo_file.rdbuf();
    if (const auto entry =
            find_mount(mountinfo.str(), major(status.st_dev), minor(status.st_dev))) {
        info.type = entry->type;
        info.mount_point = entry->mount_point;
    } else {
        info.type = type_from_magic(fs.f_type);
    }
    info.is_network = is_network_filesystem_type(info.type) ||
                      is_network_filesystem_type(type_from_magic(fs.f_type));
    return info;
}

std::string read_text_file(const std::filesystem::path& path, std::string_view what, FileRole role,
                           std::string_view when_missing) {
    std::string content;
    int error = 0;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = errno;
    } else {
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n > 0) {
                content.append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0) {
                break;
            } else if (errno != EINTR) {
                error = errno;  // EISDIR for a folder, EIO for a failing medium
                break;
            }
        }
        ::close(fd);
    }
    if (error == 0) {
        return content;
    }
    const std::string message = _f("cannot read {} \"{}\": {}; {}", what, path.string(),
                                   std::error_code{error, std::generic_category()}.message(),
                                   advice_for(error, when_missing));
    if (role == FileRole::configuration) {
        throw ConfigError(message);
    }
    throw InputError(message);
}

void sync_directory(const std::filesystem::path& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        throw StorageError(
            _f("cannot open folder \"{}\" to sync it: {}", directory.string(), errno_text()));
    }
    const int result = ::fsync(fd);
    const int saved_errno = errno;
    ::close(fd);
    if (result != 0) {
        throw StorageError(
            _f("cannot sync folder \"{}\": {}", directory.string(), std::strerror(saved_errno)));
    }
}

void sync_file(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    const bool synced = fd >= 0 && ::fsync(fd) == 0;
    const int saved_errno = errno;
    if (fd >= 0) {
        ::close(fd);
    }
    if (!synced) {
        throw StorageError(_f("cannot sync \"{}\": {}", file.string(), std::strerror(saved_errno)));
    }
}

AtomicFileWriter::AtomicFileWriter(std::filesystem::path target, mode_t mode)
    : m_target(std::move(target)),
      m_temporary(m_target.parent_path() /
                  fmt::format(".{}.partial-{}", m_target.filename().string(), ::getpid())) {
    m_out.open(m_temporary, std::ios::binary | std::ios::trunc);
    if (!m_out) {
        throw StorageError(
            _f("cannot create \"{}\": {}; check that its folder exists and is writable",
               m_target.string(), std::strerror(errno)));
    }
    ::chmod(m_temporary.c_str(), mode);
}

AtomicFileWriter::~AtomicFileWriter() {
    if (!m_committed) {
        m_out.close();
        std::error_code ignored;
        std::filesystem::remove(m_temporary, ignored);
    }
}

void AtomicFileWriter::commit() {
    m_out.flush();
    m_out.close();
    if (!m_out) {
        throw StorageError(
            _f("writing \"{}\" failed (is the disk full?); it was not written", m_target.string()));
    }
    sync_file(m_temporary);
    if (::rename(m_temporary.c_str(), m_target.c_str()) != 0) {
        throw StorageError(
            _f("cannot put \"{}\" in place: {}", m_target.string(), std::strerror(errno)));
    }
    m_committed = true;
    sync_directory(m_target.has_parent_path() ? m_target.parent_path()
                                              : std::filesystem::path{"."});
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content, mode_t mode,
                           Overwrite overwrite) {
    const std::filesystem::path folder =
        path.has_parent_path() ? path.parent_path() : std::filesystem::path{"."};
    std::error_code exists_error;
    if (overwrite == Overwrite::refuse && std::filesystem::exists(path, exists_error)) {
        throw StorageError(_f("\"{}\" already exists; refusing to overwrite it", path.string()));
    }
    const std::filesystem::path temporary =
        folder / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        throw StorageError(_f("cannot create \"{}\": {}", temporary.string(), errno_text()));
    }
    auto fail = [&](std::string_view what) {
        const std::string reason = errno_text();
        ::close(fd);
        ::unlink(temporary.c_str());
        throw StorageError(_f("cannot {} \"{}\": {}", what, path.string(), reason));
    };
    // The umask may have narrowed the mode; set exactly what was asked.
    if (::fchmod(fd, mode) != 0) {
        fail(_("set the permissions of"));
    }
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail(_("write"));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        fail(_("sync"));
    }
    ::close(fd);
    // link() refuses an existing target atomically, where a check-then-rename would race.
    const int placed = overwrite == Overwrite::refuse ? ::link(temporary.c_str(), path.c_str())
                                                      : ::rename(temporary.c_str(), path.c_str());
    const int saved_errno = errno;
    if (overwrite == Overwrite::refuse || placed != 0) {
        ::unlink(temporary.c_str());
    }
    if (placed != 0) {
        throw StorageError(
            _f("cannot put \"{}\" in place: {}", path.string(), std::strerror(saved_errno)));
    }
    sync_directory(folder);
}

std::optional<std::uint64_t> free_bytes_on_disk_of(const std::filesystem::path& folder,
                                                   std::string& problem) {
    std::error_code error;
    std::filesystem::path disk = std::filesystem::absolute(folder, error);
    while (!std::filesystem::exists(disk, error) && disk.has_parent_path() &&
           disk != disk.parent_path()) {
        disk = disk.parent_path();  // before the first file, the disk it will be on
    }
    struct statvfs stats {};
    if (::statvfs(disk.c_str(), &stats) != 0) {
        problem = _f("cannot examine the disk of {}: {}", disk.string(), std::strerror(errno));
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(stats.f_bavail) * stats.f_frsize;
}

}  // namespace exam
