#include <exam/vision/keyframe_health.hpp>

#include <algorithm>

namespace exam {

KeyframeHealth::KeyframeHealth(PictureThresholds thresholds) : m_thresholds(thresholds) {}

std::vector<PictureFinding> KeyframeHealth::judge(const GrayView& keyframe) {
    // The camera check's own measures and verdicts: brightness, contrast and sharpness of this
    // keyframe, and the motion since the previous one ("over 2 frames", half a minute apart).
    PictureSampler sampler;
    sampler.add(keyframe);
    PictureMeasures measures = sampler.measures();
    if (!m_previous.empty() && keyframe.width == m_width && keyframe.height == m_height) {
        measures.frames = 2;
        measures.motion = picture_motion({m_width, m_height, m_width, m_previous.data()}, keyframe);
    }

    m_width = keyframe.width;
    m_height = keyframe.height;
    m_previous.resize(static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height));
    for (int row = 0; row < m_height; ++row) {
        const std::uint8_t* from = keyframe.pixels + row * keyframe.stride;
        std::copy(from, from + m_width,
                  m_previous.begin() + static_cast<std::ptrdiff_t>(row) * m_width);
    }
    return judge_picture(measures, m_thresholds);
}

}  // namespace exam
