#pragma once

#include <string>

#include <exam/archive/manifest.hpp>
#include <exam/export.hpp>

namespace exam {

EXAM_EXPORT std::string package_readme_html(const Manifest& manifest);

}  // namespace exam
