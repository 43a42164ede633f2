#include <exam/service/recording_module.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {

LoadableModule& recording_module() {
    static LoadableModule module{EXAM_RECORDING_MODULE};
    return module;
}

void recording_module_missing(const char* name) {
    throw DeviceError(
        _f("this command needs examkit's recording module {}, which could not be "
           "loaded ({}); reinstall examkit",
           recording_module().soname(), recording_module().problem(name)));
}

int run_recording_loaded(const Site& site, const RecordingRequest& request,
                         const std::atomic<bool>& stop,
                         const std::function<std::string_view()>& stop_reason,
                         std::ostream& terminal) {
    const auto run = recording_entry<decltype(&exam_recording_run)>("exam_recording_run");
    return run(site, request, stop, stop_reason, terminal);
}

int run_service_loaded(const Site& site, const ServiceOptions& options,
                       const std::atomic<bool>& stop, std::ostream& log) {
    const auto run = recording_entry<decltype(&exam_recording_service)>("exam_recording_service");
    return run(site, options, stop, log);
}

std::vector<ConcatPart> concat_segments_loaded(const ConcatRequest& request) {
    const auto concat = recording_entry<decltype(&exam_recording_concat)>("exam_recording_concat");
    return concat(request);
}

}  // namespace exam
