// exam-camera: recording of every room's cameras, snapshots, archive export and retention.
// Recording arrives with the recorder; today the tool reads and checks the site's cameras.
#include <exam/util/translate.hpp>

#include "common/tool.hpp"

int main(int argc, char** argv) {
    exam::tool::Tool tool("exam-camera",
                          _("Record every room's cameras, take snapshots, export a verified "
                            "archive of the exam point's video."));
    return tool.run(argc, argv);
}
