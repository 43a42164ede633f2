// A camera's session description (SDP, RFC 8866) and what the recorder derives from it: the
// sound it can keep, the AAC configuration, the streams' control URLs.
#include "fuzz_support.hpp"
#include "recording/audio_depacketizer.hpp"
#include "recording/reorder_depth.hpp"
#include "recording/session_description.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exam::fuzz::refusals_are_typed([&] {
        const exam::SessionDescription description =
            exam::parse_session_description(exam::fuzz::text_of(data, size));
        const std::string base = "rtsp://127.0.0.1:8554/cam/";
        (void)exam::resolve_control(base, description.control);
        if (description.video) {
            (void)exam::resolve_control(base, description.video->control);
            const exam::VideoCodec codec = description.video->codec == "H265"
                                               ? exam::VideoCodec::h265
                                               : exam::VideoCodec::h264;
            for (const auto& set : description.video->parameter_sets) {
                std::vector<std::uint8_t> annex_b{0, 0, 0, 1};
                annex_b.insert(annex_b.end(), set.begin(), set.end());
                (void)exam::reorder_depth_in(codec, annex_b.data(), annex_b.size());
            }
        }
        if (description.audio) {
            (void)exam::resolve_control(base, description.audio->control);
            (void)exam::audio_not_kept(*description.audio);
            (void)exam::parse_audio_config(description.audio->config);
        }
    });
    return 0;
}
