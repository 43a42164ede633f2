// The languages the tests use, from the catalogues built of po/*.po (EXAM_BUILT_CATALOGUES):
// the environment of a user's shell that speaks one, for a tool run as a process; and, for
// tests that call the library itself, a locale set in the test process and given back after.
#pragma once

#include <clocale>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <exam/util/translate.hpp>

namespace exam::testing {

// What a user's shell has with LANG=`locale` (ru_RU.UTF-8, C), and nothing that overrides it
// (an empty LC_ALL or LANGUAGE counts as unset).
inline std::vector<std::pair<std::string, std::string>> user_environment(
    const std::string& locale) {
    return {{"EXAM_LOCALE_DIR", EXAM_BUILT_CATALOGUES},
            {"LANG", locale},
            {"LC_ALL", ""},
            {"LC_MESSAGES", ""},
            {"LANGUAGE", ""}};
}

// Each test runs in its own process under CTest, so the locale it sets is its own; run as one
// process (the binary by hand), the next test finds the C locale again.
class InALocaleTest : public ::testing::Test {
protected:
    static void use_locale(const char* name) {
        ::setenv("LC_ALL", name, 1);
        ::unsetenv("LANGUAGE");
        exam::init_translation(EXAM_BUILT_CATALOGUES);
    }

    void TearDown() override {
        ::unsetenv("LC_ALL");
        std::setlocale(LC_ALL, "C");
    }
};

}  // namespace exam::testing
