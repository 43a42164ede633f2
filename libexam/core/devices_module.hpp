// libexam-devices (devices/devices_api.hpp): OpenCV, FFmpeg's decoders and CUPS, some 240
// shared libraries, loaded with dlopen() on first use in the process that needs them (a camera
// check, a contact sheet), so that no other command pays for them. Private to libexam.
#pragma once

#include <string>

namespace exam {

// The entry point `name` of libexam-devices, the module loaded on first use (next to libexam
// itself first, then the system's search path); nullptr when the module does not load or
// lacks the entry, with the reason (dlerror's text) in `problem`.
void* devices_entry(const char* name, std::string& problem);

}  // namespace exam
