// exam-camera's commands beyond `record`, each set up in a file of its own
// (tools/exam-camera/<command>_command.cpp) and added to the tool by main.cpp.
#pragma once

#include "common/tool.hpp"

namespace exam::camera {

void add_coverage_command(tool::Tool& tool);
void add_purge_command(tool::Tool& tool);
void add_hold_commands(tool::Tool& tool);  // hold, release, holds

}  // namespace exam::camera
