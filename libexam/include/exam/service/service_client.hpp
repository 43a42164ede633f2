// The commands' side of the recording service's control socket (docs/service-protocol.md):
// one request per connection, its progress lines, its final reply.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include <exam/export.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/error.hpp>

namespace exam {

// Nothing listens at the socket's path (no file, or one a crashed service left). Exit 69.
class EXAM_EXPORT ServiceNotRunning : public DeviceError {
public:
    using DeviceError::DeviceError;
    ~ServiceNotRunning() override;
};

// Sends one request (one line of JSON, no newline in it), hands each progress line to
// `on_progress`, and returns the final reply's JSON text. An error reply
// {"error": {"code": N, "message": "..."}} is thrown as the exam::Error of its code (64
// UsageError, 65 InputError, 69 DeviceError, 74 StorageError, 77 PermissionError, 78
// ConfigError, anything else InternalError). Throws ServiceNotRunning when nothing listens,
// PermissionError when the socket's mode keeps this user out, DeviceError when no final reply
// comes within `timeout` or the service hangs up without one.
EXAM_EXPORT std::string ask_service(const std::filesystem::path& socket,
                                    const std::string& request_json,
                                    const std::function<void(const std::string&)>& on_progress = {},
                                    Milliseconds timeout = std::chrono::minutes{2});

// True when a service accepts connections at `socket`. Throws PermissionError when this user
// may not connect: a service may well be running, and starting another would not help.
EXAM_EXPORT bool service_running(const std::filesystem::path& socket);

}  // namespace exam
