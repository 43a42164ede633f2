// The manual pages and shell completions the build writes (and the package installs) cover
// every command and option that the tools' own --help shows: walked here from --help alone,
// command by command, so that the generator is judged by the program, not by itself.
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <exam/util/subprocess.hpp>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::read_file;

struct HelpWalk {
    std::set<std::string> commands;  // "roster import"
    std::set<std::string> words;     // every command name and option word ("--site", "-o")
};

std::string help_of(const std::string& tool, const std::vector<std::string>& path) {
    std::vector<std::string> args = path;
    args.push_back("--help");
    const auto result = exam::testing::run_tool(
        tool, {.args = args, .environment = {{"LC_ALL", "C.UTF-8"}, {"LANGUAGE", ""}}});
    EXPECT_EQ(result.exit_code, 0) << tool << " " << testing::PrintToString(path);
    return result.standard_output;
}

// Reads one --help: its option words, and its subcommands, which it then walks in turn.
void walk(const std::string& tool, const std::vector<std::string>& path, HelpWalk& found) {
    std::istringstream help(help_of(tool, path));
    std::string line;
    std::string section;
    std::vector<std::string> subcommands;
    while (std::getline(help, line)) {
        if (!line.empty() && line.back() == ':' && line.front() != ' ') {
            section = line;
            continue;
        }
        if (!line.starts_with("  ") || line.starts_with("   ")) {
            continue;
        }
        std::string first = line.substr(2, line.find(' ', 2) - 2);
        if (section == "Options:") {
            // "-h,--help", "--site FILE": the words before the value's name.
            std::istringstream names(first);
            std::string word;
            while (std::getline(names, word, ',')) {
                found.words.insert(word);
            }
        } else if (section == "Subcommands:") {
            subcommands.push_back(first);
        }
    }
    for (const std::string& name : subcommands) {
        std::vector<std::string> below = path;
        below.push_back(name);
        std::string joined;
        for (const std::string& word : below) {
            joined += (joined.empty() ? "" : " ") + word;
        }
        found.commands.insert(joined);
        found.words.insert(name);
        walk(tool, below, found);
    }
}

std::string manual_page(const std::string& tool) {
    exam::SubprocessRequest unzip;
    unzip.argv = {"gzip", "-dc", std::string{EXAM_REFERENCE_DIR} + "/" + tool + ".1.gz"};
    unzip.timeout = std::chrono::seconds{30};
    const auto result = exam::run_subprocess(unzip);
    EXPECT_EQ(result.exit_code, 0) << result.standard_error;
    return result.standard_output;
}

// roff sets a minus sign as \- in names, so that it is searched and copied as one.
std::string as_roff(const std::string& word) {
    std::string roff;
    for (const char c : word) {
        roff += c == '-' ? std::string{"\\-"} : std::string(1, c);
    }
    return roff;
}

class CommandReference : public ::testing::TestWithParam<const char*> {};

}  // namespace

TEST_P(CommandReference, ManualPageAndCompletionsCoverEveryCommandAndOptionOfHelp) {
    const std::string tool = GetParam();
    const std::string binary =
        (std::filesystem::path{EXAM_JOURNAL_BIN}.parent_path() / tool).string();
    HelpWalk found;
    walk(binary, {}, found);
    ASSERT_GE(found.commands.size(), 3u) << "the walk of --help found too little";
    ASSERT_TRUE(found.words.contains("--site"));

    const std::string man = manual_page(tool);
    const std::string bash = read_file(std::filesystem::path{EXAM_REFERENCE_DIR} / "bash" / tool);
    const std::string zsh =
        read_file(std::filesystem::path{EXAM_REFERENCE_DIR} / "zsh" / ("_" + tool));
    for (const std::string& command : found.commands) {
        EXPECT_NE(man.find(".SS \"" + as_roff(tool + " " + command) + " "), std::string::npos)
            << "the manual of " << tool << " has no section for \"" << command << "\"";
        // The completions walk the tree by "PARENT:NAME" pairs.
        const std::string name = command.substr(command.rfind(' ') + 1);
        const std::string parent = command.rfind(' ') == std::string::npos
                                       ? std::string{}
                                       : command.substr(0, command.rfind(' '));
        EXPECT_NE(bash.find("'" + parent + ":" + name + "')"), std::string::npos)
            << "bash: " << command;
        EXPECT_NE(zsh.find("'" + parent + ":" + name + "')"), std::string::npos)
            << "zsh: " << command;
    }
    for (const std::string& word : found.words) {
        EXPECT_NE(man.find(as_roff(word)), std::string::npos) << "man: " << word;
        EXPECT_NE(bash.find(word), std::string::npos) << "bash: " << word;
        EXPECT_NE(zsh.find("'" + word + ":"), std::string::npos) << "zsh: " << word;
    }
    // The hidden command that writes them is nobody's business.
    EXPECT_EQ(man.find(".SS \"" + as_roff(tool) + " __reference"), std::string::npos);
    EXPECT_EQ(bash.find(":__reference"), std::string::npos);
}

// The scripts are valid shell, and bash completes a nested command and its options.
TEST_P(CommandReference, CompletionsAreValidShellAndBashCompletesByTheCommandTyped) {
    const std::string tool = GetParam();
    const std::string bash_file = std::string{EXAM_REFERENCE_DIR} + "/bash/" + tool;
    for (const auto& [shell, file] : std::vector<std::pair<std::string, std::string>>{
             {"bash", bash_file}, {"zsh", std::string{EXAM_REFERENCE_DIR} + "/zsh/_" + tool}}) {
        exam::SubprocessRequest check;
        check.argv = {shell, "-n", file};
        check.timeout = std::chrono::seconds{30};
        const auto result = exam::run_subprocess(check);
        EXPECT_EQ(result.exit_code, 0) << shell << ": " << result.standard_error;
    }
    exam::SubprocessRequest complete;
    const std::string function = tool == "exam-camera"    ? "_exam_camera"
                                 : tool == "exam-journal" ? "_exam_journal"
                                                          : "_exam_precheck";
    // The first command's name, typed up to its second letter, then its options after "--".
    complete.argv = {"bash", "-c",
                     "source \"$1\"; COMP_WORDS=(" + tool + " si); COMP_CWORD=1; " + function +
                         "; echo \"${COMPREPLY[*]}\"; COMP_WORDS=(" + tool +
                         " site --); COMP_CWORD=2; " + function + "; echo \"${COMPREPLY[*]}\"",
                     "bash", bash_file};
    complete.timeout = std::chrono::seconds{30};
    const auto result = exam::run_subprocess(complete);
    ASSERT_EQ(result.exit_code, 0) << result.standard_error;
    EXPECT_EQ(result.standard_output.substr(0, result.standard_output.find('\n')), "site");
    const std::string options =
        result.standard_output.substr(result.standard_output.find('\n') + 1);
    EXPECT_NE(options.find("--json"), std::string::npos) << options;
    EXPECT_NE(options.find("--site"), std::string::npos) << options;
}

INSTANTIATE_TEST_SUITE_P(Tools, CommandReference,
                         ::testing::Values("exam-precheck", "exam-camera", "exam-journal"),
                         [](const auto& tool) {
                             std::string name = tool.param;
                             name.erase(0, 5);  // "exam-"
                             return name;
                         });
