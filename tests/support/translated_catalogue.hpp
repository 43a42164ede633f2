// The catalogue that translates every text of the sources ("[xx] " and the English in capitals;
// made at build time by tests/fixtures/translate_everything.sh into EXAM_TRANSLATED_CATALOGUE),
// for tests that must see what a translation changes, and the environment that makes a tool
// read it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace exam::testing {

// What every translated text starts with.
inline constexpr const char* k_translation_marker = "[xx]";

// The environment of a tool run in `language`: "xx" is the catalogue above, "en" has none (the
// English texts of the sources). LC_ALL is a real locale: under "C" gettext ignores LANGUAGE.
inline std::vector<std::pair<std::string, std::string>> language_environment(
    const std::string& language) {
    return {{"EXAM_LOCALE_DIR", EXAM_TRANSLATED_CATALOGUE},
            {"LC_ALL", "C.UTF-8"},
            {"LANGUAGE", language}};
}

}  // namespace exam::testing
