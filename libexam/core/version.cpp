#include <exam/version.hpp>

namespace exam {

const char* library_version() {
    return EXAM_VERSION;
}

const char* locale_directory() {
    return EXAM_LOCALEDIR;
}

}  // namespace exam
