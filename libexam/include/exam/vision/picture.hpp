// Is the picture usable? One place that judges a camera's frames, shared by the pre-check's
// camera check and the recorder's health sampling. No OpenCV types here: callers hand over
// 8-bit grey planes (OpenCV's converted frames, or a decoder's luma plane).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <exam/util/recorded_text.hpp>
#include <exam/vision/export.hpp>

namespace exam {

// A full-range 8-bit grey picture that the caller owns: 0 is black, 255 white.
struct GrayView {
    int width = 0;
    int height = 0;
    std::ptrdiff_t stride = 0;  // bytes from one row to the next
    const std::uint8_t* pixels = nullptr;
};

// When a picture is a problem. Defaults suit 8-bit pictures of a lit classroom; a site tunes
// them per check.
struct PictureThresholds {
    double min_brightness = 20;  // mean grey level; below is a black picture
    double min_contrast = 8;     // standard deviation of grey; below is a flat, covered lens
    double min_sharpness = 30;   // variance of the Laplacian; below is out of focus
    double min_motion = 0.01;    // % of pixels that change between frames; below is frozen
};

// What the frames of a sample measured: brightness, contrast and sharpness are medians over
// the frames (one odd frame does not decide); motion is the largest change between two
// consecutive frames, because a live picture changes somewhere (people, a clock on screen,
// sensor noise) and a frozen one never does.
struct PictureMeasures {
    int frames = 0;
    int width = 0;
    int height = 0;
    double brightness = 0;
    double contrast = 0;
    double sharpness = 0;
    std::optional<double> motion;  // needs two frames
};

enum class PictureProblem { black, covered, frozen, blurred };

EXAM_VISION_EXPORT std::string_view to_string(PictureProblem problem);

struct PictureFinding {
    PictureProblem problem;
    double measured;
    double threshold;
    // "black picture: brightness 3.1, needs at least 20", and in English for the journal.
    RecordedText text;
};

// Collects frames one at a time, keeping only the previous one (copied) for the motion.
class EXAM_VISION_EXPORT PictureSampler {
public:
    void add(const GrayView& frame);
    [[nodiscard]] PictureMeasures measures() const;

private:
    std::vector<double> brightness_;
    std::vector<double> contrast_;
    std::vector<double> sharpness_;
    std::optional<double> motion_;
    std::vector<std::uint8_t> previous_;
    int width_ = 0;
    int height_ = 0;
};

// The share of pixels (%) whose grey level changed from `before` to `after`, two pictures of
// the same size: the motion PictureSampler measures between consecutive frames.
EXAM_VISION_EXPORT double picture_motion(const GrayView& before, const GrayView& after);

// The problems, most fundamental first: a black picture is also flat, still and unsharp, but
// "black" is what the technician must hear. Empty when the picture is fine.
EXAM_VISION_EXPORT std::vector<PictureFinding> judge_picture(const PictureMeasures& measures,
                                                             const PictureThresholds& thresholds);

}  // namespace exam
