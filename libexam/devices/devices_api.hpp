// libexam-devices: the checks that talk to devices through heavy libraries — cameras through
// OpenCV's FFmpeg backend (some 240 shared libraries on Debian), printers through CUPS — and
// the picture analysis. libexam loads it with dlopen() only when such a check runs, so that
// every other command (a desk admission, a journal listing) starts in milliseconds.
// These entry points are looked up by name; their types are libexam's own.
#pragma once

#include <cstdint>
#include <span>
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
