// The one wrapper every examkit tool runs in: it builds the command line (CLI11), adds the
// options and the `site` command all tools share, runs the chosen command, and turns every
// exam::Error into its message on stderr and its documented exit code, in one place.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include <exam/core/site.hpp>
#include <exam/util/terminal.hpp>

namespace exam::tool {

// The user's language for messages, from the environment, with the catalogues installed (or
// those EXAM_LOCALE_DIR names). Tool's constructor does it; a program that answers before
// building its Tool (exam-precheck's check processes) calls it itself.
void init_tool_translation();

// Options every tool takes, before or after its command.
struct CommonOptions {
    std::optional<std::filesystem::path> site;
    bool no_color = false;
};

// Who is acting, for the journal: `flag` (--actor) when given, else $EXAM_ACTOR, else the
// login name of the user running the tool.
std::optional<std::string> acting_person(const std::string& flag = {});

// An option's check that its value is a whole number of at least `least`, saying so in the
// user's language (CLI11's own NonNegativeNumber speaks English and prints 1.8e308 in full).
CLI::Validator whole_number_at_least(long long least);

class Tool {
public:
    using Action = std::function<int()>;

    Tool(std::string name, const std::string& description);

    CLI::App& app() { return m_app; }
    const CommonOptions& common() const { return m_common; }

    // A subcommand whose action runs after the whole command line parsed cleanly; with a
    // parent, a nested one ("roster import").
    CLI::App* add_command(const std::string& name, const std::string& description, Action action,
                          CLI::App* parent = nullptr);

    // The site from --site, EXAM_SITE, ./site.toml or /etc/examkit/site.toml.
    Site load_site() const;
    // The same for commands that also work without a site: nullopt when none of the places
    // holds one; a site that is named or found but wrong is still an error.
    std::optional<Site> load_site_if_any() const;
    // Colour for standard output, honouring --no-color, NO_COLOR and whether it is a terminal.
    Palette stdout_palette() const;

    // Parses, runs, and returns the exit code; never throws.
    int run(int argc, char** argv);

private:
    void report_error(const std::string& message) const;

    std::string m_name;
    CLI::App m_app;
    CommonOptions m_common;
    std::map<const CLI::App*, Action> m_actions;
    bool m_site_json = false;
    std::string m_reference_format;
};

}  // namespace exam::tool
