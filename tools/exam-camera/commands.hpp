// exam-camera's commands beside `record`, each set up in a file of its own
// (tools/exam-camera/<command>_command.cpp) so that main.cpp stays a table of commands.
#pragma once

#include "common/tool.hpp"

namespace exam::tool {

void add_export_command(Tool& tool);

}  // namespace exam::tool
