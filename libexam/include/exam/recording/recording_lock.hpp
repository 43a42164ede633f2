// Who is recording a camera. The recorder holds an exclusive lock (an open file description
// lock, fcntl F_OFD_SETLK) on a file in the camera's
// folder for as long as it records it (the kernel lets go when the process ends, however it
// ends), so that a second recorder leaves the camera alone and a camera check knows to take
// its pictures from the recording instead of opening another session on a camera that may
// allow only one or two.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <exam/export.hpp>

namespace exam {

// recordings/ROOM/CAMERA
EXAM_EXPORT std::filesystem::path camera_folder(const std::filesystem::path& recordings,
                                                const std::string& room, const std::string& camera);

class EXAM_EXPORT RecordingLock {
public:
    // The camera's lock (the folder is created), or nullopt when another recorder holds it.
    // Throws StorageError when the folder cannot be made or the lock file opened.
    static std::optional<RecordingLock> take(const std::filesystem::path& camera_folder);
    ~RecordingLock();
    RecordingLock(RecordingLock&& other) noexcept;
    RecordingLock& operator=(RecordingLock&& other) noexcept;
    RecordingLock(const RecordingLock&) = delete;

private:
    explicit RecordingLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

// While a recorder holds the camera: the segment it is writing (the newest .partial) and the
// one it finished last, newest first; either may be missing (before the first segment is
// finished, or in the moment between two). Empty when no recorder holds the camera.
EXAM_EXPORT std::vector<std::filesystem::path> segments_being_recorded(
    const std::filesystem::path& camera_folder);

}  // namespace exam
