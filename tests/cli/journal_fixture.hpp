// A site with an initialised journal in a fresh folder, and exam-journal run against it as the
// entrance staff would (EXAM_SITE set) or as an auditor would (a --db copy, no site file).
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace exam::testing {

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class JournalSiteTest : public TempDirTest {
protected:
    void SetUp() override {
        // Moscow: three hours from UTC all year, so a shown time is easy to predict.
        temp.write("site.toml", R"(ppe_code = "0042"
region = "01"
name = "Test school"
timezone = "Europe/Moscow"
)");
        const auto init = journal({"init"});
        ASSERT_EQ(init.exit_code, 0) << init.standard_error;
    }

    SubprocessResult journal(std::vector<std::string> args, std::string input = {}) const {
        return run_tool(EXAM_JOURNAL_BIN,
                        {.args = std::move(args),
                         .working_directory = temp.path(),
                         .environment = {{"EXAM_SITE", (temp / "site.toml").string()},
                                         {"EXAM_ACTOR", "Tester"}},
                         .standard_input = std::move(input)});
    }

    // An auditor's copy in a folder of its own, read with --db and no site file anywhere.
    SubprocessResult auditor(std::vector<std::string> args) {
        if (!std::filesystem::exists(m_auditor / "copy.sqlite")) {
            const auto backup = journal({"backup", (m_auditor / "copy.sqlite").string()});
            EXPECT_EQ(backup.exit_code, 0) << backup.standard_error;
        }
        args.insert(args.begin(), {"--db", (m_auditor / "copy.sqlite").string()});
        return run_tool(EXAM_JOURNAL_BIN, {.args = args, .working_directory = m_auditor.path()});
    }

private:
    TempDir m_auditor;
};

}  // namespace exam::testing
