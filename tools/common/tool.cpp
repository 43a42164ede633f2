#include "common/tool.hpp"
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <exam/core/site_loader.hpp>
#include <exam/core/site_report.hpp>
#include <exam/util/error.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>
#include <exam/version.hpp>

#include "common/command_reference.hpp"

namespace exam::tool {
namespace {

std::string exit_code_help() {
    return _(
        "Exit codes:\n"
        "  0    success\n"
        "  1    warnings only (pre-check)\n"
        "  2    a negative answer: a check or verification failed, a person was refused\n"
        "  3    something could not be checked\n"
        "  64   usage error (unknown flag, missing argument)\n"
        "  65   bad input data\n"
        "  69   a device or service is unavailable (camera, recorder)\n"
        "  70   internal error (please report it)\n"
        "  74   I/O or storage error\n"
        "  77   not permitted (the recording service's control group)\n"
        "  78   configuration error (site file, suite)\n"
        "  130  interrupted\n"
        "See docs/exit-codes.md.");
}

// The message catalogues: the installed ones, unless EXAM_LOCALE_DIR names another folder
// (LANG/LC_MESSAGES/examkit.mo under it): a translation being tried out before it is installed,
// or the tests' catalogue that translates every text.
const char* catalogue_folder() {
    const char* chosen = std::getenv("EXAM_LOCALE_DIR");
    return chosen != nullptr && *chosen != '\0' ? chosen : locale_directory();
}

// The commands a user is told of: not those of the empty group (`__reference`, for the build).
std::vector<const CLI::App*> visible_commands(const CLI::App& app) {
    return app.get_subcommands(
        [](const CLI::App* command) { return !command->get_group().empty(); });
}

// The commands given, from the tool down to the deepest ("exam-journal", "roster", "import").
std::vector<const CLI::App*> commands_given(const CLI::App& root) {
    std::vector<const CLI::App*> chain{&root};
    while (!chain.back()->get_subcommands().empty()) {
        chain.push_back(chain.back()->get_subcommands().front());
    }
    return chain;
}

// What CLI11 could not place on a command line, said as an unknown option or command with a
// did-you-mean (`--suit` for `--suite`): the typo is the cause even when CLI11 complains of
// something else first (a required --suite). Empty when nothing was left over, or when it is
// a stray value, which CLI11's own message describes well.
std::string unknown_argument_message(const CLI::App& root) {
    const std::vector<std::string> left_over = root.remaining(true);
    if (left_over.empty()) {
        return {};
    }
    const std::vector<const CLI::App*> chain = commands_given(root);
    std::string command_line;
    for (const CLI::App* command : chain) {
        command_line += command_line.empty() ? "" : " ";
        command_line += command->get_name();
    }
    const std::string& word = left_over.front();
    if (word.starts_with("--")) {
        // Options fall through to the commands above, so any of theirs was meant.
        std::vector<std::string> options;
        for (const CLI::App* command : chain) {
            for (const CLI::Option* option : command->get_options()) {
                for (const std::string& name : option->get_lnames()) {
                    options.push_back("--" + name);
                }
            }
        }
        const std::string name = word.substr(0, word.find('='));
        return _f("unknown option \"{}\" for {}", name, command_line) + did_you_mean(name, options);
    }
    const CLI::App* level = chain.back();
    std::vector<std::string> commands;
    for (const CLI::App* command : visible_commands(*level)) {
        commands.push_back(command->get_name());
    }
    if (commands.empty() || word.starts_with('-')) {
        return {};
    }
    return _f("unknown command \"{}\" for {}", word, command_line) +
           did_you_mean(word, commands, _("the commands are"));
}

// CLI11's complaints, which it makes in English, in the user's language: the usual ones by
// their shape (CLI/Error.hpp), any other as CLI11 said it. (So no CLI11 validator is used:
// their words are English; ours are whole_number_at_least below.)
std::string parse_error_text(const CLI::ParseError& error) {
    const std::string said = error.what();
    const auto name_before = [&](std::string_view separator) {
        const auto at = said.find(separator);
        return at == std::string::npos ? std::string{} : said.substr(0, at);
    };
    if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
        if (said == "A subcommand is required") {
            return _("a command is required");
        }
        if (said.ends_with(" is required") && !said.starts_with("Exactly")) {
            return _f("{} is required",
                      said.substr(0, said.size() - std::string_view{" is required"}.size()));
        }
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr &&
        said.ends_with(" missing")) {
        return _f("{} needs a value", name_before(": "));
    }
    if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr &&
        said.starts_with("Could not convert: ")) {
        const std::string rest = said.substr(std::string_view{"Could not convert: "}.size());
        const auto equals = rest.find(" = ");
        if (equals != std::string::npos) {
            return _f("{}: \"{}\" is not a value it takes", rest.substr(0, equals),
                      rest.substr(equals + 3));
        }
    }
    return said;  // a ValidationError carries our validators' own, translated, words
}

// CLI11 writes its own words into --help ("Usage:", "Options:", "REQUIRED"); they are
// given to it in the user's language, as are the groups it heads options and commands with.
void speak_the_users_language(CLI::App& app) {
    auto formatter = std::make_shared<CLI::Formatter>();
    const std::pair<const char*, std::string> labels[] = {
        {"Usage", _("Usage")},
        {"OPTIONS", _("OPTIONS")},
        {"SUBCOMMAND", _("SUBCOMMAND")},
        {"SUBCOMMANDS", _("SUBCOMMANDS")},
        {"Positionals", _("Positionals")},
        {"REQUIRED", _("REQUIRED")},
        {"Needs", _("Needs")},
        {"Excludes", _("Excludes")},
        {"Env", _("Environment")},
    };
    for (const auto& [key, text] : labels) {
        formatter->label(key, text);
    }
    app.formatter(formatter);
    app.option_defaults()->group(_("Options"));
}

}  // namespace

std::optional<std::string> acting_person(const std::string& flag) {
    if (!flag.empty()) {
        return flag;
    }
    if (const char* env = std::getenv("EXAM_ACTOR"); env && *env) {
        return std::string{env};
    }
    if (const passwd* user = ::getpwuid(::geteuid())) {
        return std::string{user->pw_name};
    }
    return std::nullopt;
}

CLI::Validator whole_number_at_least(long long least) {
    return CLI::Validator{
        [least](std::string& value) -> std::string {
            long long number = 0;
            const char* end = value.data() + value.size();
            const auto [stop, problem] = std::from_chars(value.data(), end, number);
            if (problem == std::errc{} && stop == end && number >= least) {
                return {};
            }
            return _f("expected a whole number of {} or more, found \"{}\"", least, value);
        },
        ""};
}

void init_tool_translation() {
    init_translation(catalogue_folder());
}

Tool::Tool(std::string name, const std::string& description)
    : m_name(std::move(name)), m_app(description, m_name) {
    init_tool_translation();
    // Given in English (its _() ran before the catalogue was chosen), translated now.
    m_app.description(translate(description.c_str()));
    speak_the_users_language(m_app);
    m_app.set_version_flag("--version", m_name + " (examkit) " + EXAM_VERSION,
                           _("Print the version and exit"));
    m_app.set_help_flag("-h,--help", _("Print this help and exit"));
    m_app.footer(exit_code_help());
    m_app.require_subcommand(0, 1);
    m_app.fallthrough();
    m_app
        .add_option("--site", m_common.site,
                    _("The site file (default: $EXAM_SITE, ./site.toml, /etc/examkit/site.toml)"))
        ->type_name("FILE");
    m_app.add_flag("--no-color", m_common.no_color,
                   _("Never colour the output (colour is also off when NO_COLOR is set or the "
                     "output is not a terminal)"));

    auto* site_command =
        add_command("site", _("Check the site file and show the exam point it describes"), [this] {
            const Site site = load_site();
            if (m_site_json) {
                write_site_json(std::cout, site);
            } else {
                write_site_text(std::cout, site, stdout_palette());
            }
            return 0;
        });
    site_command->add_flag("--json", m_site_json, _("Print the site as JSON"));

    // Hidden: the build writes the manual page and the shell completions with it, from the
    // same definitions that answer --help (docs/install.md).
    auto* reference =
        add_command("__reference", "Print the manual page or a shell completion", [this] {
            const auto format = reference_format_named(m_reference_format);
            if (!format) {
                throw UsageError(fmt::format("__reference: expected man, bash or zsh, found \"{}\"",
                                             m_reference_format));
            }
            write_command_reference(std::cout, m_app, *format);
            return 0;
        });
    reference->group("");
    reference->add_option("FORMAT", m_reference_format, "man, bash or zsh")->required();
}

CLI::App* Tool::add_command(const std::string& name, const std::string& description, Action action,
                            CLI::App* parent) {
    CLI::App* command = (parent ? parent : &m_app)->add_subcommand(name, description);
    command->group(_("Subcommands"));
    if (CLI::Option* help = command->get_help_ptr()) {
        help->group(m_app.option_defaults()->get_group());  // made before it had the default
    }
    m_actions[command] = std::move(action);
    return command;
}

Site Tool::load_site() const {
    SiteFileSources sources;
    sources.flag = m_common.site;
    if (const char* env = std::getenv("EXAM_SITE")) {
        sources.environment = std::filesystem::path{env};
    }
    return exam::load_site(locate_site_file(sources));
}

std::optional<Site> Tool::load_site_if_any() const {
    const char* env = std::getenv("EXAM_SITE");
    const SiteFileSources defaults;
    std::error_code error;
    if (m_common.site || (env != nullptr && *env != '\0') ||
        std::filesystem::is_regular_file(defaults.working_directory / "site.toml", error) ||
        std::filesystem::is_regular_file(defaults.system_file, error)) {
        return load_site();
    }
    return std::nullopt;
}

Palette Tool::stdout_palette() const {
    return Palette{color_wanted_for(m_common.no_color ? ColorMode::never : ColorMode::automatic,
                                    STDOUT_FILENO)};
}

void Tool::report_error(const std::string& message) const {
    // A message may quote what a file, a camera or a person gave (a name, an address, a value):
    // it reaches the terminal through the one sanitiser, line breaks kept.
    std::cerr << m_name << ": " << _("error: ") << for_terminal(message, true) << '\n';
}

int Tool::run(int argc, char** argv) {
    try {
        m_app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return m_app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return m_app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return m_app.exit(e);
    } catch (const CLI::ParseError& e) {
        const std::string unknown = unknown_argument_message(m_app);
        report_error(unknown.empty() ? parse_error_text(e) : unknown);
        std::cerr << _f("Run '{} --help' for usage.", m_name) << '\n';
        return static_cast<int>(ExitCode::usage);
    }
    try {
        // The deepest command given that has an action: "roster import" runs import's.
        const CLI::App* chosen = nullptr;
        for (const CLI::App* level = &m_app; !level->get_subcommands().empty();) {
            level = level->get_subcommands().front();
            if (m_actions.contains(level)) {
                chosen = level;
            }
        }
        if (chosen != nullptr) {
            return m_actions.at(chosen)();
        }
        std::string commands;
        for (const CLI::App* command : visible_commands(m_app)) {
            commands += commands.empty() ? "" : ", ";
            commands += command->get_name();
        }
        report_error(_f("no command given; the commands are: {}", commands));
        std::cerr << _f("Run '{} --help' for usage.", m_name) << '\n';
        return static_cast<int>(ExitCode::usage);
    } catch (const Error& e) {
        report_error(e.what());
        return static_cast<int>(e.exit_code());
    } catch (const std::exception& e) {
        report_error(
            _f("internal error: {}; please report this with the command you ran", e.what()));
        return static_cast<int>(ExitCode::internal);
    }
}

}  // namespace exam::tool
