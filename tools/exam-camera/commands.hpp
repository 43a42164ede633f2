// exam-camera's commands beyond `record`, each set up in a file of its own
// (<command>_command.cpp) and added to the tool by main.cpp.
#pragma once

#include "common/tool.hpp"

void add_verify_command(exam::tool::Tool& tool);
void add_export_command(exam::tool::Tool& tool);

namespace exam::camera {

void add_coverage_command(tool::Tool& tool);
void add_purge_command(tool::Tool& tool);
void add_hold_commands(tool::Tool& tool);     // hold, release, holds
void add_service_commands(tool::Tool& tool);  // service, start, stop, list
void add_status_command(tool::Tool& tool);
void add_snapshot_command(tool::Tool& tool);

}  // namespace exam::camera
