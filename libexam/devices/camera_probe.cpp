// The camera check: opens the camera with OpenCV (its FFmpeg backend), samples its frames for
// a moment of media time, and judges the size, the rate and the picture (vision/picture).
#include <chrono>
#include <thread>

#include <fmt/ranges.h>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <exam/core/camera_address.hpp>
#include <exam/recording/recording_lock.hpp>
#include <exam/util/duration.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>
#include <exam/vision/picture.hpp>

#include "devices/camera_open.hpp"
#include "devices/camera_sample.hpp"
#include "devices/devices_api.hpp"

namespace exam {
namespace {

using Clock = std::chrono::steady_clock;

// Which camera, for messages: "camera 0101-front (room 0101)", or the address alone.
std::string camera_name(const nlohmann::json& parameters) {
    if (parameters.contains("camera")) {
        return _f("camera {} (room {})", parameters["camera"].get<std::string>(),
                  parameters.value("room", std::string{"?"}));
    }
    return _f("camera {}", without_password(parameters["uri"].get<std::string>()));
}

PictureThresholds thresholds_from(const nlohmann::json& parameters) {
    PictureThresholds thresholds;
    thresholds.min_brightness = parameters.value("min_brightness", thresholds.min_brightness);
    thresholds.min_contrast = parameters.value("min_contrast", thresholds.min_contrast);
    thresholds.min_sharpness = parameters.value("min_sharpness", thresholds.min_sharpness);
    thresholds.min_motion = parameters.value("min_motion", thresholds.min_motion);
    return thresholds;
}

// Reads frames until `wanted` of media time has passed or the wall-clock budget is spent.
// Media time, not wall time: a file is read faster than real time, a camera at its own pace.
Sample read_sample(cv::VideoCapture& capture, std::chrono::milliseconds wanted,
                   Clock::time_point give_up) {
    Sample sample;
    cv::Mat frame;
    cv::Mat gray;
    int width = 0;
    int height = 0;
    while (Clock::now() < give_up && capture.read(frame) && !frame.empty()) {
        const double at_ms = capture.get(cv::CAP_PROP_POS_MSEC);
        if (sample.frames > 0 && (frame.cols != width || frame.rows != height)) {
            sample.size_changed = true;
        }
        width = frame.cols;
        height = frame.rows;
        cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY);
        sample.picture.add(
            {gray.cols, gray.rows, static_cast<std::ptrdiff_t>(gray.step[0]), gray.data});
        ++sample.frames;
        if (sample.first_ms < 0) {
            sample.first_ms = at_ms;
        }
        sample.last_ms = at_ms;
        if (sample.frames >= 3 &&
            sample.last_ms - sample.first_ms >= static_cast<double>(wanted.count())) {
            break;
        }
    }
    return sample;
}

// Either a sample to judge, or the check's verdict already (the camera did not open...).
struct Sampled {
    std::optional<Sample> sample;
    CheckResult verdict;
};

// "1920x1080 pictures at 25 frames per second", from the camera's keys in the site file.
std::string expected_picture(int width, int height, double fps) {
    std::string expected =
        width > 0 ? _f("{}x{} pictures", width, height) : _("a sane moving picture");
    if (fps > 0) {
        expected += _f(" at {:g} frames per second", fps);
    }
    return expected;
}

// A failed check whose finding is that there is no picture at all.
CheckResult no_picture(const std::string& expected, const std::string& message) {
    CheckResult verdict;
    verdict.status = CheckStatus::fail;
    verdict.observed = Observed{_("no picture"), ""};
    verdict.expected = expected;
    verdict.message = message;
    return verdict;
}

Sampled sample_camera(const std::string& uri, const std::string& name,
                      std::chrono::milliseconds wanted, Clock::time_point started,
                      Clock::duration budget) {
    const auto open_ms = static_cast<int>(std::max<std::int64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(budget).count() / 2, 500));
    // This process is the check's own child: the environment open_camera sets is ours.
    cv::VideoCapture capture;
    // One read may not outlast the budget's end by much: the runner's kill would replace this
    // check's own message with a bare timeout.
    const int read_ms = static_cast<int>(std::max<std::int64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(budget).count() / 5, 200));
    const bool opened = open_camera(
        capture, uri,
        {.open = std::chrono::milliseconds{open_ms}, .read = std::chrono::milliseconds{read_ms}});
    const auto open_time =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    Sampled sampled;
    if (!opened) {
        // Only a camera that kept us waiting for the whole open timeout "did not open within"
        // it; one refused at once (a closed port, an unknown scheme) says so, with no time.
        const std::chrono::milliseconds open_timeout{open_ms};
        const std::string finding =
            open_time >= open_timeout * 9 / 10
                ? _f("{} did not open within {} (no answer: a wrong address, or the camera is "
                     "off or unreachable)",
                     name, format_elapsed(open_timeout))
                : _f("{} could not be opened: it refused at once (nothing listens at that "
                     "address, a wrong address or scheme, or the camera refused the stream)",
                     name);
        sampled.verdict = no_picture(_("the camera opens and sends pictures"), finding);
        return sampled;
    }
    sampled.sample = read_sample(capture, wanted, started + budget);
    return sampled;
}

// The recorder's built-in test camera (`test:WxH@FPS`) is no device: there is nothing to
// open, and its pictures are generated. The check says so, and still compares the size and
// rate it is written with against what the site expects of the camera.
CheckResult judge_synthetic_camera(const nlohmann::json& parameters, const std::string& uri,
                                   const std::string& name) {
    CheckResult result;
    SyntheticCameraSettings settings;
    try {
        settings = parse_synthetic_camera(uri);
    } catch (const Error& e) {
        return no_picture(_("a test camera written as \"test:WIDTHxHEIGHT@FPS\""), e.what());
    }
    const auto width = parameters.value("width", 0);
    const auto height = parameters.value("height", 0);
    const double expected_fps = parameters.value("fps", 0.0);
    result.expected = expected_picture(width, height, expected_fps);
    result.observed = Observed{
        _f("{}x{}, {} fps (generated)", settings.width, settings.height, settings.fps), ""};
    std::vector<std::string> problems;
    if (width > 0 && (settings.width != width || settings.height != height)) {
        problems.push_back(_f("picture size {}x{}, expected {}x{}", settings.width, settings.height,
                              width, height));
    }
    if (expected_fps > 0 && settings.fps < expected_fps * 0.8) {
        problems.push_back(_f("{} frames per second, expected {:g}", settings.fps, expected_fps));
    }
    const std::string details = fmt::format("{}", fmt::join(problems, "; "));
    result.status = problems.empty() ? CheckStatus::pass : CheckStatus::fail;
    result.message =
        problems.empty()
            ? _f("{}: the recorder's built-in test camera, a generated {}x{} pattern at {} fps; "
                 "there is no device to open, and no real camera is checked",
                 name, settings.width, settings.height, settings.fps)
            : _f("{}: {} (the recorder's built-in test camera)", name, details);
    return result;
}

// nullopt when no recorder holds the camera: the check opens it itself.
std::optional<Sampled> sample_from_recorder(const nlohmann::json& parameters,
                                            const std::string& name,
                                            std::chrono::milliseconds wanted,
                                            Clock::time_point give_up) {
    if (!parameters.contains("recordings") || !parameters.contains("camera") ||
        !parameters.contains("room")) {
        return std::nullopt;  // a check of a bare address
    }
    namespace fs = std::filesystem;
    const fs::path folder = camera_folder(parameters["recordings"].get<std::string>(),
                                          parameters["room"].get<std::string>(),
                                          parameters["camera"].get<std::string>());
    const auto segments = segments_being_recorded(folder);
    if (segments.empty()) {
        return std::nullopt;
    }
    Sampled sampled;
    // The recorder syncs a fragment every second: a file untouched for longer is a camera
    // that the recorder has lost (it is reconnecting, and the index will show the gap).
    auto newest = fs::file_time_type::min();
    for (const fs::path& segment : segments) {
        std::error_code error;
        newest = std::max(newest, fs::last_write_time(segment, error));
    }
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(
        fs::file_time_type::clock::now() - newest);
    if (age > std::chrono::seconds{5}) {
        sampled.verdict =
            no_picture(_("the recorder writes the camera's pictures"),
                       _f("{}: the recorder holds the camera but has had no picture from it "
                          "for {} (it is reconnecting: see exam-camera's terminal; the index "
                          "records the gap)",
                          name, format_elapsed(age)));
        return sampled;
    }
    std::string problem;
    const auto enough = [&] {
        return sampled.sample && sampled.sample->last_ms - sampled.sample->first_ms >=
                                     static_cast<double>(wanted.count()) * 0.9;
    };
    // A recording that has only just begun grows by a synced fragment a second: it is read
    // again until it holds the sample or the budget runs short.
    while (true) {
        for (const fs::path& segment : segments_being_recorded(folder)) {
            // The open segment first; when it has only just begun, the one finished before.
            auto sample = sample_recording(segment, wanted, give_up, problem);
            if (sample && sample->frames >= 2 &&
                (!sampled.sample || sample->last_ms - sample->first_ms >
                                        sampled.sample->last_ms - sampled.sample->first_ms)) {
                sampled.sample = std::move(sample);
            }
            if (enough()) {
                break;
            }
        }
        if (enough() || Clock::now() + std::chrono::milliseconds{500} >= give_up) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{300});
    }
    if (!sampled.sample) {
        sampled.verdict.status = CheckStatus::error;
        sampled.verdict.message =
            _f("{}: the recorder holds the camera, and its recording could not be read: {}", name,
               problem.empty() ? _("it holds no pictures yet") : problem);
    }
    return sampled;
}

}  // namespace
}  // namespace exam

exam::CheckResult exam_devices_probe_camera(const nlohmann::json& parameters,
                                            const exam::ProbeContext& context) {
    using namespace exam;
    CheckResult result;
    if (parameters.contains("problem")) {  // the site could not give this check a camera
        result.status = parameters.value("problem_status", "") == "error" ? CheckStatus::error
                                                                          : CheckStatus::skip;
        result.message = parameters["problem"].get<std::string>();
        return result;
    }
    const std::string uri = parameters["uri"];
    const std::string name = camera_name(parameters);
    const auto started = Clock::now();
    // Leave a fifth of the budget to judge and answer; the runner kills us at the deadline.
    const auto budget = context.budget() * 4 / 5;
    const std::chrono::milliseconds wanted{parameters.value("sample", std::int64_t{2000})};

    // While the recorder holds the camera, its pictures come from the recording: some
    // cameras allow only one or two sessions, and the recorder's must not be put at risk.
    std::optional<Sampled> sampled =
        sample_from_recorder(parameters, name, wanted, started + budget);
    const bool from_recording = sampled.has_value();
    if (!sampled && is_synthetic_camera(uri)) {
        return judge_synthetic_camera(parameters, uri, name);
    }
    if (!sampled) {
        sampled = sample_camera(uri, name, wanted, started, budget);
    }
    if (!sampled->sample) {
        return sampled->verdict;
    }
    const Sample& sample = *sampled->sample;
    const PictureMeasures measures = sample.picture.measures();
    const auto width = parameters.value("width", 0);
    const auto height = parameters.value("height", 0);
    const double expected_fps = parameters.value("fps", 0.0);
    result.expected = expected_picture(width, height, expected_fps);

    if (sample.frames < 2) {
        result.status = CheckStatus::fail;
        result.observed = Observed{static_cast<double>(sample.frames), "frames"};
        result.message = _f("{} opened but sent {} frame(s) in {}", name, sample.frames,
                            format_elapsed(std::chrono::duration_cast<std::chrono::milliseconds>(
                                Clock::now() - started)));
        return result;
    }
    const double span_s = (sample.last_ms - sample.first_ms) / 1000.0;
    // (A recording's segment may just have begun: it is judged on what it holds.)
    if (!from_recording && span_s * 1000.0 < static_cast<double>(wanted.count()) * 0.9) {
        // The stream stopped (or crawled) before the sample was complete: that is the finding.
        result.status = CheckStatus::fail;
        result.observed = Observed{static_cast<double>(sample.frames), "frames"};
        result.message =
            _f("{}: the stream stopped after {:.1f} s of the {:.1f} s sample ({} "
               "frames)",
               name, span_s, static_cast<double>(wanted.count()) / 1000.0, sample.frames);
        return result;
    }
    const double rate = span_s > 0 ? (sample.frames - 1) / span_s : 0;
    // A value for reports and the history (JSON): the same words in every language.
    result.observed =
        Observed{fmt::format("{}x{}, {:.1f} fps", measures.width, measures.height, rate), ""};

    std::vector<std::string> problems;
    if (width > 0 && (measures.width != width || measures.height != height)) {
        problems.push_back(_f("picture size {}x{}, expected {}x{}", measures.width, measures.height,
                              width, height));
    }
    if (sample.size_changed) {
        problems.push_back(_("the picture size changed while sampling"));
    }
    // A fifth below the set rate is a camera dropping frames (or set up wrongly); above is
    // harmless.
    if (expected_fps > 0 && rate < expected_fps * 0.8) {
        problems.push_back(_f("{:.1f} frames per second, expected {:g}", rate, expected_fps));
    }
    for (const PictureFinding& finding : judge_picture(measures, thresholds_from(parameters))) {
        problems.push_back(finding.text.shown);
    }
    const std::string details = fmt::format("{}", fmt::join(problems, "; "));
    result.status = problems.empty() ? CheckStatus::pass : CheckStatus::fail;
    result.message =
        problems.empty()
            ? _f("{}: {}x{} at {:.1f} fps, brightness {:.0f}, contrast {:.0f}, sharpness {:.0f}",
                 name, measures.width, measures.height, rate, measures.brightness,
                 measures.contrast, measures.sharpness)
            : _f("{}: {}", name, details);
    if (from_recording) {
        result.message += _(" (pictures from the recording: the recorder holds the camera)");
    }
    return result;
}
