// exam-journal: the tamper-evident journal of access to the exam point and of every action on
// its equipment. The journal arrives with its own issue; today the tool reads the site.
#include <exam/util/translate.hpp>

#include "common/tool.hpp"

int main(int argc, char** argv) {
    exam::tool::Tool tool("exam-journal",
                          _("The tamper-evident journal of access to the exam point and of every "
                            "action on its equipment."));
    return tool.run(argc, argv);
}
