#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <exam/recording/recording_lock.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_lock_file = ".recorder.lock";

}  // namespace

fs::path camera_folder(const fs::path& recordings, const std::string& room,
                       const std::string& camera) {
    return recordings / room / camera;
}

std::optional<RecordingLock> RecordingLock::take(const fs::path& camera_folder) {
    std::error_code error;
    fs::create_directories(camera_folder, error);
    const fs::path file = camera_folder / k_lock_file;
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        const int error_code = errno;
        throw StorageError(_rf("cannot open the recording lock {}: {}", file.string(),
                               std::error_code{error_code, std::generic_category()}.message()));
    }
    // An open-file-description lock: released when this descriptor closes or the process
    // ends, and testable by others without taking it (F_OFD_GETLK), so that a camera check
    // looking never makes a recorder starting at that moment believe the camera is taken.
    struct flock whole {};
    whole.l_type = F_WRLCK;
    whole.l_whence = SEEK_SET;
    if (::fcntl(fd, F_OFD_SETLK, &whole) != 0) {
        const int error_code = errno;
        ::close(fd);
        if (error_code == EAGAIN || error_code == EACCES) {
            return std::nullopt;  // another recorder holds it
        }
        throw StorageError(_rf("cannot lock {}: {}", file.string(),
                               std::error_code{error_code, std::generic_category()}.message()));
    }
    return RecordingLock{fd};
}

RecordingLock::RecordingLock(RecordingLock&& other) noexcept : m_fd(other.m_fd) {
    other.m_fd = -1;
}

RecordingLock& RecordingLock::operator=(RecordingLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

RecordingLock::~RecordingLock() {
    if (m_fd >= 0) {
        ::close(m_fd);  // and with it the lock
    }
}

std::vector<fs::path> segments_being_recorded(const fs::path& camera_folder) {
    const fs::path file = camera_folder / k_lock_file;
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return {};  // never recorded here
    }
    // Asks who holds the lock, without taking it.
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    const bool asked = ::fcntl(fd, F_OFD_GETLK, &probe) == 0;
    ::close(fd);
    if (!asked || probe.l_type == F_UNLCK) {
        return {};
    }
    std::vector<fs::path> open;
    std::vector<fs::path> finished;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(camera_folder, error)) {
        const std::string name = entry.path().filename().string();
        if (name.ends_with(".mp4.partial")) {
            open.push_back(entry.path());
        } else if (name.ends_with(".mp4")) {
            finished.push_back(entry.path());
        }
    }
    // Names sort as their start times do.
    std::vector<fs::path> segments;
    if (!open.empty()) {
        segments.push_back(*std::max_element(open.begin(), open.end()));
    }
    if (!finished.empty()) {
        segments.push_back(*std::max_element(finished.begin(), finished.end()));
    }
    return segments;
}

}  // namespace exam
