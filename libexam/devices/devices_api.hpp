// libexam-devices: the checks that talk to devices through heavy libraries — cameras through
// OpenCV's FFmpeg backend (some 240 shared libraries on Debian), printers through CUPS — and
// what else needs OpenCV's video I/O or FFmpeg's decoders: contact sheets' pictures, a
// camera's snapshot taken without the recording service. libexam loads it with dlopen() only
// when one of these is needed, so that every other command (a desk admission, a journal
// listing) starts in milliseconds.
// These entry points are looked up by name; their types are libexam's own.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <exam/archive/contact_sheet.hpp>
#include <exam/precheck/probes.hpp>

#define EXAM_DEVICES_ENTRY extern "C" __attribute__((visibility("default")))

EXAM_DEVICES_ENTRY exam::CheckResult exam_devices_probe_camera(const nlohmann::json& parameters,
                                                               const exam::ProbeContext& context);
EXAM_DEVICES_ENTRY exam::CheckResult exam_devices_probe_printer(const nlohmann::json& parameters,
                                                                const exam::ProbeContext& context);

// The pictures of a contact sheet (exam/archive/contact_sheet.hpp) drawn and encoded as JPEG.
EXAM_DEVICES_ENTRY std::vector<std::uint8_t> exam_devices_contact_sheet(
    std::span<const exam::ContactSheetSource> sources,
    const std::vector<exam::ContactSheetTile>& tiles, exam::TimeRange range,
    const exam::TimeZone& zone, std::string_view title, const exam::ContactSheetLayout& layout);

// One picture of the camera at `uri` (opened as the camera check opens it), stamped with the
// label `lines` (exam/vision/stamp.hpp) and encoded as JPEG; the recorder's test camera
// (`test:WxH@FPS`) gives its colour bars. Throws DeviceError naming `who` when the camera does
// not open or sends no picture in time. Sets OpenCV's capture options in the environment: call
// it from a command's main thread, never from a process whose other threads read it.
EXAM_DEVICES_ENTRY std::vector<std::uint8_t> exam_devices_snapshot(
    const std::string& uri, const std::string& who, const std::vector<std::string>& lines);
