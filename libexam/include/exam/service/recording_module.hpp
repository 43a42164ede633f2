// The recorder's door for exam-camera: libexam-recording (FFmpeg) is loaded on first use, so
// that the commands that never record — verify, coverage, purge, hold — start without FFmpeg's
// libraries (exam-camera links only libexam).
#pragma once

#include <atomic>
#include <functional>
#include <ostream>
#include <string_view>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/recording/concat.hpp>
#include <exam/service/recording_request.hpp>
#include <exam/service/recording_service.hpp>
#include <exam/util/loadable_module.hpp>

// The entry points libexam-recording exports by name; their types are libexam's own.
#define EXAM_RECORDING_ENTRY extern "C" __attribute__((visibility("default")))

namespace exam {

// libexam-recording, loaded on first use.
EXAM_EXPORT LoadableModule& recording_module();

// The address of the module's entry point `name` as a function of type `Function`; throws
// DeviceError naming the module and why it could not be loaded.
template <typename Function>
Function recording_entry(const char* name);

// run_recording (service/recording_session.hpp) through the module.
EXAM_EXPORT int run_recording_loaded(const Site& site, const RecordingRequest& request,
                                     const std::atomic<bool>& stop,
                                     const std::function<std::string_view()>& stop_reason,
                                     std::ostream& terminal);

// run_recording_service (service/recording_service.hpp) through the module.
EXAM_EXPORT int run_service_loaded(const Site& site, const ServiceOptions& options,
                                   const std::atomic<bool>& stop, std::ostream& log);

// concat_segments (recording/concat.hpp) through the module: `exam-camera export --concat`.
EXAM_EXPORT std::vector<ConcatPart> concat_segments_loaded(const ConcatRequest& request);

// Throws DeviceError: the module or its entry point could not be had.
[[noreturn]] EXAM_EXPORT void recording_module_missing(const char* name);

template <typename Function>
Function recording_entry(const char* name) {
    void* address = recording_module().entry(name);
    if (address == nullptr) {
        recording_module_missing(name);
    }
    return reinterpret_cast<Function>(address);
}

}  // namespace exam

EXAM_RECORDING_ENTRY int exam_recording_run(const exam::Site& site,
                                            const exam::RecordingRequest& request,
                                            const std::atomic<bool>& stop,
                                            const std::function<std::string_view()>& stop_reason,
                                            std::ostream& terminal);
EXAM_RECORDING_ENTRY int exam_recording_service(const exam::Site& site,
                                                const exam::ServiceOptions& options,
                                                const std::atomic<bool>& stop, std::ostream& log);
EXAM_RECORDING_ENTRY std::vector<exam::ConcatPart> exam_recording_concat(
    const exam::ConcatRequest& request);
