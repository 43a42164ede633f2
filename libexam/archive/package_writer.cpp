// Why each step: the copy is hashed while it is read so that each source is read once; the
// copy is synced and then dropped from the page cache (POSIX_FADV_DONTNEED on clean pages) so
// that the read-back comes from the device, which is what finds a stick that acknowledged
// writes it did not keep; only a file that matched gets its final name, so a final name in the
// package always means "verified".
#include <exam/archive/package_writer.hpp>

#include <cerrno>
#include <cstring>
#include <memory>
#include <span>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/translate.hpp>

namespace exam {

namespace {

namespace fs = std::filesystem;

// Large blocks: fewer system calls, and the disk sees long sequential requests.
constexpr std::size_t k_block_bytes = 8u << 20;

std::string part_name(const fs::path& target) {
    return target.string() + ".part";
}

// What a person can do about a failed write, by its cause.
std::string write_advice(int error) {
    switch (error) {
        case ENOSPC:
        case EDQUOT:
            return _(
                "the destination is full: free space on it or use a larger one, then run the "
                "export again with --resume");
        case EROFS:
            return _(
                "the destination is read-only: check the stick's lock switch or how it is "
                "mounted, or choose another folder");
        case EIO:
            return _(
                "the device reported an I/O error: the medium may be failing, use another one");
        case ENOENT:
        case ENOTDIR:
        case ENODEV:
            return _(
                "the destination folder has gone (was the stick removed?): plug it in again and "
                "run the export again with --resume");
        case EACCES:
        case EPERM: return _("you may not write there: choose a folder you may write to");
        default: return _("check the destination and run the export again with --resume");
    }
}

[[noreturn]] void throw_write_error(const fs::path& file, std::string_view what, int error) {
    throw StorageError(_f("cannot {} \"{}\": {}; {}; nothing of it is in the package", what,
                          file.string(), std::strerror(error), write_advice(error)));
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    [[nodiscard]] int get() const { return m_fd; }
    // close() reports what a deferred write-back found (NFS, some FUSE): it must be checked.
    int close() {
        const int result = ::close(m_fd);
        m_fd = -1;
        return result;
    }

private:
    int m_fd;
};

// The .part file, removed unless it was renamed into place.
class PartFile {
public:
    explicit PartFile(fs::path path) : m_path(std::move(path)) {}
    ~PartFile() {
        if (!m_done) {
            ::unlink(m_path.c_str());
        }
    }
    PartFile(const PartFile&) = delete;
    PartFile& operator=(const PartFile&) = delete;
    [[nodiscard]] const fs::path& path() const { return m_path; }
    void done() { m_done = true; }

private:
    fs::path m_path;
    bool m_done = false;
};

struct BlockBuffer {
    std::unique_ptr<std::byte[]> bytes{new std::byte[k_block_bytes]};
    [[nodiscard]] std::span<std::byte> span() const { return {bytes.get(), k_block_bytes}; }
};

// Reads up to the buffer's size; 0 at the end. EINTR is retried; other errors go to `fail`.
template <typename Fail>
std::size_t read_some(int fd, std::span<std::byte> buffer, Fail&& fail) {
    for (;;) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got >= 0) {
            return static_cast<std::size_t>(got);
        }
        if (errno != EINTR) {
            fail(errno);
        }
    }
}

void write_all(int fd, std::span<const std::byte> data, const fs::path& target) {
    while (!data.empty()) {
        const ssize_t wrote = ::write(fd, data.data(), data.size());
        if (wrote < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_write_error(target, _("write"), errno);
        }
        data = data.subspan(static_cast<std::size_t>(wrote));
    }
}

void make_folders(const fs::path& package, const fs::path& folder) {
    std::error_code error;
    if (fs::is_directory(folder, error)) {
        return;
    }
    // The parents first, each synced into its own parent, so that a power cut cannot leave a
    // verified file in a folder the disk never recorded.
    if (folder != package && folder.has_parent_path()) {
        make_folders(package, folder.parent_path());
    }
    if (::mkdir(folder.c_str(), 0755) != 0 && errno != EEXIST) {
        throw_write_error(folder, _("create folder"), errno);
    }
    if (folder != package) {
        sync_directory(folder.parent_path());
    }
}

// Opens NAME.part for writing in the package, making its folders.
int open_part(const fs::path& package, const fs::path& target, const fs::path& part) {
    make_folders(package, target.parent_path());
    const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw_write_error(target, _("create"), errno);
    }
    return fd;
}

// Syncs the written .part, drops it from the page cache, reads it back from the device and
// renames it into place when it holds `bytes` bytes hashing to `sha256`.
void verify_and_place(FileDescriptor& written, PartFile& part, const fs::path& target,
                      std::uint64_t bytes, const std::string& sha256) {
    if (::fsync(written.get()) != 0) {
        throw_write_error(target, _("sync"), errno);
    }
    // Clean pages only are dropped, hence after fsync.
    ::posix_fadvise(written.get(), 0, 0, POSIX_FADV_DONTNEED);
    if (written.close() != 0) {
        throw_write_error(target, _("close"), errno);
    }

    const FileDescriptor reread(::open(part.path().c_str(), O_RDONLY | O_CLOEXEC));
    if (reread.get() < 0) {
        throw_write_error(target, _("read back"), errno);
    }
    ::posix_fadvise(reread.get(), 0, 0, POSIX_FADV_DONTNEED);
    ::posix_fadvise(reread.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    BlockBuffer buffer;
    Sha256 hash;
    std::uint64_t read_back = 0;
    for (;;) {
        const std::size_t got = read_some(reread.get(), buffer.span(), [&](int error) {
            throw_write_error(target, _("read back"), error);
        });
        if (got == 0) {
            break;
        }
        hash.update(buffer.span().first(got));
        read_back += got;
    }
    const std::string found = to_hex(hash.finish());
    if (read_back != bytes || found != sha256) {
        throw StorageError(
            _f("the destination gave back other bytes than were written to \"{}\" ({} bytes with "
               "SHA-256 {} written, {} bytes with SHA-256 {} read back): the medium does not keep "
               "what it is given; use another one",
               target.string(), bytes, sha256, read_back, found));
    }
    if (::rename(part.path().c_str(), target.c_str()) != 0) {
        throw_write_error(target, _("rename into place"), errno);
    }
    part.done();
    sync_directory(target.parent_path());
}

struct SourceState {
    off_t size = 0;
    timespec modified{};
    bool operator==(const SourceState& other) const {
        return size == other.size && modified.tv_sec == other.modified.tv_sec &&
               modified.tv_nsec == other.modified.tv_nsec;
    }
};

SourceState state_of(int fd, const fs::path& source) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        throw StorageError(_f("cannot examine \"{}\": {}", source.string(), std::strerror(errno)));
    }
    return {info.st_size, info.st_mtim};
}

}  // namespace

PackageWriter::PackageWriter(fs::path package_folder) : m_folder(std::move(package_folder)) {}

fs::path PackageWriter::path_of(const std::string& relative) const {
    return m_folder / relative;
}

CopyResult PackageWriter::copy_file(const fs::path& source, const std::string& relative,
                                    const std::optional<std::string>& expected_sha256,
                                    const BytesDone& bytes_done) {
    const FileDescriptor input(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (input.get() < 0) {
        throw StorageError(
            _f("cannot read the recording \"{}\": {}; check that the recordings "
               "folder is mounted and readable",
               source.string(), std::strerror(errno)));
    }
    ::posix_fadvise(input.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    const SourceState before = state_of(input.get(), source);

    const fs::path target = path_of(relative);
    PartFile part(part_name(target));
    FileDescriptor output(open_part(m_folder, target, part.path()));

    BlockBuffer buffer;
    Sha256 hash;
    std::uint64_t copied = 0;
    for (;;) {
        const std::size_t got = read_some(input.get(), buffer.span(), [&](int error) {
            throw StorageError(
                _f("cannot read the recording \"{}\": {}", source.string(), std::strerror(error)));
        });
        if (got == 0) {
            break;
        }
        const auto block = buffer.span().first(got);
        hash.update(block);
        write_all(output.get(), block, target);
        copied += got;
        if (bytes_done) {
            bytes_done(got);
        }
    }
    const SourceState after = state_of(input.get(), source);
    if (!(after == before) || copied != static_cast<std::uint64_t>(before.size)) {
        throw StorageError(
            _f("\"{}\" changed while it was copied ({} bytes when the copy began, {} when it "
               "ended): is a recorder still writing it? Stop that camera's recording and run the "
               "export again with --resume",
               source.string(), before.size, after.size));
    }
    const std::string sha256 = to_hex(hash.finish());
    if (expected_sha256 && *expected_sha256 != sha256) {
        // `part` is removed on return: an altered segment leaves nothing in the package.
        return {CopyOutcome::altered, {copied, sha256}};
    }
    verify_and_place(output, part, target, copied, sha256);
    return {CopyOutcome::verified, {copied, sha256}};
}

WrittenFile PackageWriter::write_file(const std::string& relative, std::string_view content) {
    const fs::path target = path_of(relative);
    PartFile part(part_name(target));
    FileDescriptor output(open_part(m_folder, target, part.path()));
    write_all(output.get(), std::as_bytes(std::span{content.data(), content.size()}), target);
    const std::string sha256 = to_hex(exam::sha256(content));
    verify_and_place(output, part, target, content.size(), sha256);
    return {content.size(), sha256};
}

void remove_partial_files(const fs::path& package_folder) {
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(package_folder, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_regular_file(error) && it->path().extension() == ".part") {
            fs::remove(it->path(), error);
        }
    }
}

}  // namespace exam
