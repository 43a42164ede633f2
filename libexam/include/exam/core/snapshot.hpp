// A camera's snapshot as the technician files it ("корректировка ракурса" in the equipment
// journal): the picture stamped with the exam point's region and code, room, camera and time.
// The label's rule lives here, once, for the snapshot taken by opening the camera and the one
// the recording service takes from its recording alike; the drawing is libexam-vision's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/util/time.hpp>

namespace exam {

// The label's lines: "Аудитория 0101 · Доска (0101-board)", "region 77, PPE 0042",
// "2026-12-04 08:15:03 +03:00" (the site's zone, labelled). A label that already holds the id
// is not followed by it again.
EXAM_EXPORT std::vector<std::string> snapshot_label(const Site& site, const Room& room,
                                                    const Camera& camera, TimePoint at);

// The camera opened (through libexam-devices, loaded on first use), one picture taken, stamped
// with snapshot_label(..., at), as JPEG. Throws DeviceError when the camera gives no picture or
// the module does not load, ConfigError when the label's font is missing.
EXAM_EXPORT std::vector<std::uint8_t> snapshot_from_camera(const Site& site, const Room& room,
                                                           const Camera& camera, TimePoint at);

}  // namespace exam
