// exam-camera's commands beyond `record`, each set up in a file of its own
// (<command>_command.cpp) and added to the tool by main.cpp.
#pragma once

#include "common/tool.hpp"

void add_verify_command(exam::tool::Tool& tool);
void add_export_command(exam::tool::Tool& tool);
