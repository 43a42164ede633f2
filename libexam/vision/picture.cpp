#include <algorithm>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <exam/util/translate.hpp>
#include <exam/vision/picture.hpp>

namespace exam {
namespace {

// A grey level counts as changed above this: encoders and sensors wobble by one or two.
constexpr int k_changed_level = 2;

cv::Mat wrap(const GrayView& frame) {
    // OpenCV does not write through a const Mat; the cast only satisfies its constructor.
    return {
        frame.height, frame.width, CV_8UC1,
        const_cast<std::uint8_t*>(frame.pixels),  // NOLINT(cppcoreguidelines-pro-type-const-cast)
        static_cast<std::size_t>(frame.stride)};
}

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0;
    }
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

}  // namespace

std::string_view to_string(PictureProblem problem) {
    switch (problem) {
        case PictureProblem::black: return "black";
        case PictureProblem::covered: return "covered";
        case PictureProblem::frozen: return "frozen";
        case PictureProblem::blurred: return "blurred";
    }
    return "?";
}

void PictureSampler::add(const GrayView& frame) {
    const cv::Mat picture = wrap(frame);
    cv::Scalar mean;
    cv::Scalar deviation;
    cv::meanStdDev(picture, mean, deviation);
    brightness_.push_back(mean[0]);
    contrast_.push_back(deviation[0]);

    cv::Mat laplacian;
    cv::Laplacian(picture, laplacian, CV_64F);
    cv::Scalar laplacian_mean;
    cv::Scalar laplacian_deviation;
    cv::meanStdDev(laplacian, laplacian_mean, laplacian_deviation);
    sharpness_.push_back(laplacian_deviation[0] * laplacian_deviation[0]);

    const auto size =
        static_cast<std::size_t>(frame.width) * static_cast<std::size_t>(frame.height);
    if (frame.width == width_ && frame.height == height_ && previous_.size() == size) {
        const double changed = picture_motion({width_, height_, width_, previous_.data()}, frame);
        motion_ = std::max(motion_.value_or(0.0), changed);
    }
    width_ = frame.width;
    height_ = frame.height;
    previous_.resize(size);
    cv::Mat copy{height_, width_, CV_8UC1, previous_.data()};
    picture.copyTo(copy);
}

double picture_motion(const GrayView& before, const GrayView& after) {
    cv::Mat difference;
    cv::absdiff(wrap(before), wrap(after), difference);
    const auto size = static_cast<double>(after.width) * static_cast<double>(after.height);
    return size > 0 ? 100.0 * cv::countNonZero(difference > k_changed_level) / size : 0.0;
}

PictureMeasures PictureSampler::measures() const {
    return {.frames = static_cast<int>(brightness_.size()),
            .width = width_,
            .height = height_,
            .brightness = median(brightness_),
            .contrast = median(contrast_),
            .sharpness = median(sharpness_),
            .motion = motion_};
}

std::vector<PictureFinding> judge_picture(const PictureMeasures& measures,
                                          const PictureThresholds& thresholds) {
    std::vector<PictureFinding> findings;
    if (measures.frames == 0) {
        return findings;
    }
    if (measures.brightness < thresholds.min_brightness) {
        findings.push_back({PictureProblem::black, measures.brightness, thresholds.min_brightness,
                            _rf("black picture: brightness {:.1f}, needs at least {:.0f}",
                                measures.brightness, thresholds.min_brightness)});
        return findings;  // everything else follows from black
    }
    if (measures.contrast < thresholds.min_contrast) {
        findings.push_back(
            {PictureProblem::covered, measures.contrast, thresholds.min_contrast,
             _rf("flat picture, the lens looks covered: contrast {:.1f}, needs at least {:.0f}",
                 measures.contrast, thresholds.min_contrast)});
        return findings;  // a covered lens is also unsharp; that is not news
    }
    if (measures.motion && *measures.motion < thresholds.min_motion) {
        findings.push_back({PictureProblem::frozen, *measures.motion, thresholds.min_motion,
                            _rf("frozen picture: {:.3f}% of pixels changed over {} frames, needs "
                                "at least {:.3f}%",
                                *measures.motion, measures.frames, thresholds.min_motion)});
    }
    if (measures.sharpness < thresholds.min_sharpness) {
        findings.push_back({PictureProblem::blurred, measures.sharpness, thresholds.min_sharpness,
                            _rf("picture out of focus: sharpness {:.1f}, needs at least {:.0f}",
                                measures.sharpness, thresholds.min_sharpness)});
    }
    return findings;
}

}  // namespace exam
