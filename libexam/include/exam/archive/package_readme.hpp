// README.html of an export package: for the commission member who opens the USB stick, what
// it holds, each camera's coverage as a bar, and how to check it with and without examkit.
// One self-contained page (no scripts, no outside files), in the exporter's language.
#pragma once

#include <string>

#include <exam/archive/manifest.hpp>
#include <exam/export.hpp>

namespace exam {

EXAM_EXPORT std::string package_readme_html(const Manifest& manifest);

}  // namespace exam
