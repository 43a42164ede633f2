// What `exam-camera record` asks of the recorder: the cameras, the exam, the heartbeat and who
// runs it. In libexam, so that the tool builds the request without loading the recorder.
#pragma once

#include <optional>
#include <string>

#include <exam/core/camera_choice.hpp>
#include <exam/export.hpp>
#include <exam/util/duration.hpp>

namespace exam {

// How often the heartbeat line comes: `written` as a duration ("30s", "0" for none), or when
// empty every minute on a terminal and never in a log. UsageError for anything else.
EXAM_EXPORT Milliseconds heartbeat_interval(const std::string& written, bool terminal);

struct RecordingRequest {
    CameraChoice cameras;
    std::optional<std::string> exam;   // for the index and the journal
    Milliseconds heartbeat{0};         // 0: none
    std::optional<std::string> actor;  // who runs it, for the journal
};

}  // namespace exam
