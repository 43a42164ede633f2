// Picture health while recording: one decoded keyframe at a time (the recording service decodes
// one per camera every half minute or so), judged by the pre-check's own analysis
// (vision/picture.hpp) — black, covered and blurred from the keyframe itself, frozen from the
// motion since the previous keyframe judged. One object per camera; not shared between threads.
#pragma once

#include <cstdint>
#include <vector>

#include <exam/vision/export.hpp>
#include <exam/vision/picture.hpp>

namespace exam {

class EXAM_VISION_EXPORT KeyframeHealth {
public:
    explicit KeyframeHealth(PictureThresholds thresholds = {});

    // The keyframe's problems, most fundamental first (judge_picture's order); empty when it
    // is fine. Frozen needs a previous keyframe of the same size: the first keyframe, or one
    // after the camera changed its picture size, is judged without it.
    std::vector<PictureFinding> judge(const GrayView& keyframe);

private:
    PictureThresholds m_thresholds;
    std::vector<std::uint8_t> m_previous;  // the previous keyframe judged, copied
    int m_width = 0;
    int m_height = 0;
};

}  // namespace exam
