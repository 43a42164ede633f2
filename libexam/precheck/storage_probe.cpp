// The recording-storage check: will the recordings folder hold every camera of the site for
// the exam's recording window, at the cameras' bitrates, and still leave the reserve free?
#include <cerrno>
#include <cstring>

#include <sys/statvfs.h>

#include <exam/core/recording_plan.hpp>
#include <exam/core/site.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/translate.hpp>

#include "precheck/exam_point_probes.hpp"

namespace exam {
namespace {

namespace fs = std::filesystem;

// The folder may not exist before the first recording: the disk it will be on is the one of
// its nearest existing parent.
fs::path nearest_existing(fs::path path) {
    std::error_code error;
    while (!fs::exists(path, error) && path.has_parent_path() && path != path.parent_path()) {
        path = path.parent_path();
    }
    return path;
}

}  // namespace

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

    const fs::path disk = nearest_existing(folder);
    struct statvfs stats {};
    if (::statvfs(disk.c_str(), &stats) != 0) {
        result.status = CheckStatus::error;
        result.message = _f("cannot examine {}: {}", disk.string(), std::strerror(errno));
        return result;
    }
    const std::uint64_t free_bytes = static_cast<std::uint64_t>(stats.f_bavail) * stats.f_frsize;
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
