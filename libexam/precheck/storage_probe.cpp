// The recording-storage check: will the recordings folder hold every camera of the site for
// the exam's recording window, at the cameras' bitrates, and still leave the reserve free?
#include <exam/core/recording_plan.hpp>
#include <exam/core/site.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

#include "precheck/exam_point_probes.hpp"

namespace exam {

namespace fs = std::filesystem;

CheckResult probe_recording_storage(const nlohmann::json& parameters, const ProbeContext& context) {
    CheckResult result;
    if (context.site == nullptr) {
        result.status = CheckStatus::error;
        result.message =
            _("the recording-storage check needs the site file (--site FILE or "
              "EXAM_SITE): it gives the cameras and the exam");
        return result;
    }
    const Site& site = *context.site;
    if (!context.exam) {
        result.status = CheckStatus::skip;
        result.message = _("no exam today and none given with --exam: no recording window");
        return result;
    }
    const fs::path folder = parameters.contains("path")
                                ? fs::path{parameters["path"].get<std::string>()}.is_absolute()
                                      ? fs::path{parameters["path"].get<std::string>()}
                                      : context.suite_folder / parameters["path"].get<std::string>()
                                : site.paths.recordings;
    const std::uint64_t reserve = parameters.contains("reserve")
                                      ? *parse_byte_size(parameters["reserve"].get<std::string>())
                                      : site.recording.reserve;

    // Recording runs from the check window's opening (or now, if later) to the end plus the
    // site's margin.
    const RecordingPlan plan = plan_recording(all_cameras(site), *context.exam, site.recording,
                                              std::max(context.exam->checks_due, context.now));
    const std::uint64_t recordings = plan.recording_bytes;
    const std::uint64_t needed = recordings > UINT64_MAX - reserve ? UINT64_MAX  // saturates
                                                                   : recordings + reserve;
    const auto window = plan.window;
    const std::uint64_t bits_per_second = plan.bits_per_second;

    std::string problem;
    const std::optional<std::uint64_t> free_on_disk = free_bytes_on_disk_of(folder, problem);
    if (!free_on_disk) {
        result.status = CheckStatus::error;
        result.message = problem;
        return result;
    }
    const std::uint64_t free_bytes = *free_on_disk;
    result.observed = Observed{static_cast<double>(free_bytes), "bytes"};
    result.expected = _f("at least {} free", format_byte_size(needed));
    result.status = free_bytes >= needed ? CheckStatus::pass : CheckStatus::fail;
    result.message =
        _f("{} free for {}; {} camera(s) at {} in all for {} need {} plus the {} reserve{}",
           format_byte_size(free_bytes), folder.string(), site.camera_count(),
           format_bitrate(bits_per_second), format_duration(window), format_byte_size(recordings),
           format_byte_size(reserve),
           free_bytes >= needed
               ? ""
               : _f(": {} short; free space or move [paths] recordings to a larger disk",
                    format_byte_size(needed - free_bytes)));
    return result;
}

}  // namespace exam
