// The site as people and programs read it back: `exam-<tool> site`.
#pragma once

#include <ostream>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/util/terminal.hpp>

namespace exam {

EXAM_EXPORT void write_site_text(std::ostream& out, const Site& site, const Palette& palette);
EXAM_EXPORT void write_site_json(std::ostream& out, const Site& site);

}  // namespace exam
