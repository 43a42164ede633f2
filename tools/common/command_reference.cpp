#include "common/command_reference.hpp"
#include <algorithm>
#include <cctype>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include <exam/version.hpp>

namespace exam::tool {
namespace {

// A command and the words that reach it from the tool ("roster import").
struct CommandAt {
    std::string path;
    const CLI::App* app = nullptr;
};

std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
    return app.get_subcommands(
        [](const CLI::App* command) { return !command->get_group().empty(); });
}

std::vector<const CLI::Option*> visible_options(const CLI::App& app) {
    return app.get_options([](const CLI::Option* option) { return !option->get_group().empty(); });
}

// The tool itself (path "") and every visible command below it, depth first.
void collect_commands(const CLI::App& app, const std::string& path, std::vector<CommandAt>& out) {
    out.push_back({path, &app});
    for (const CLI::App* command : visible_subcommands(app)) {
        collect_commands(
            *command, path.empty() ? command->get_name() : path + " " + command->get_name(), out);
    }
}

std::vector<CommandAt> all_commands(const CLI::App& app) {
    std::vector<CommandAt> commands;
    collect_commands(app, "", commands);
    return commands;
}

std::vector<std::string> option_words(const CLI::Option& option) {
    std::vector<std::string> words;
    for (const std::string& name : option.get_snames()) {
        words.push_back("-" + name);
    }
    for (const std::string& name : option.get_lnames()) {
        words.push_back("--" + name);
    }
    return words;
}

// The option words a command takes, with their options: its own and those of every command
// above it (the tools let options fall through to their parents, so `exam-camera record
// --site FILE` is as good as the other order), each word once (every level has its --help).
std::vector<std::pair<std::string, const CLI::Option*>> option_words_in_reach(const CLI::App& app) {
    std::vector<std::pair<std::string, const CLI::Option*>> words;
    std::set<std::string> seen;
    for (const CLI::App* level = &app; level != nullptr; level = level->get_parent()) {
        for (const CLI::Option* option : visible_options(*level)) {
            for (const std::string& word : option_words(*option)) {
                if (seen.insert(word).second) {
                    words.emplace_back(word, option);
                }
            }
        }
    }
    return words;
}

// Flags expect no value (CLI11 sets their expected count to 0, whatever the type).
bool takes_value(const CLI::Option& option) {
    return option.get_expected_max() != 0;
}

// A value that names a file or folder: the shells complete it with paths.
bool takes_path(const CLI::Option& option) {
    const std::string type = option.get_type_name();
    return type == "FILE" || type == "DIR" || type == "FOLDER" || type == "PATH";
}

// Text for roff: a backslash is a request there, and a line that starts with a dot or an
// apostrophe would be a macro.
std::string roff_text(const std::string& text) {
    std::string escaped;
    bool line_start = true;
    for (const char c : text) {
        if (line_start && (c == '.' || c == '\'')) {
            escaped += "\\&";
        }
        if (c == '\\') {
            escaped += "\\e";
        } else {
            escaped += c;
        }
        line_start = c == '\n';
    }
    return escaped;
}

// An option's name or a command's words, set in bold: minus signs as roff's \- so that they
// can be searched for and copied.
std::string roff_word(const std::string& word) {
    std::string escaped;
    for (const char c : word) {
        escaped += c == '-' ? std::string{"\\-"} : std::string(1, c);
    }
    return escaped;
}

// A description without its closing full stop, to be followed by more.
std::string without_full_stop(std::string text) {
    if (!text.empty() && text.back() == '.') {
        text.pop_back();
    }
    return text;
}

std::string value_placeholder(const CLI::Option& option) {
    std::string type = option.get_type_name();
    return type.empty() ? std::string{"VALUE"} : type;
}

void write_man_option(std::ostream& out, const CLI::Option& option) {
    out << ".TP\n";
    if (option.nonpositional()) {
        std::string names;
        for (const std::string& word : option_words(option)) {
            names += (names.empty() ? "" : ", ") + std::string{"\\fB"} + roff_word(word) + "\\fR";
        }
        out << names;
        if (takes_value(option)) {
            out << " \\fI" << roff_word(value_placeholder(option)) << "\\fR";
        }
        out << '\n';
    } else {
        out << "\\fI" << roff_word(option.get_name(true)) << "\\fR\n";
    }
    std::string description = option.get_description();
    if (option.get_required()) {
        description += " (required)";
    }
    if (!option.get_default_str().empty()) {
        description += " (default: " + option.get_default_str() + ")";
    }
    out << roff_text(description) << '\n';
}

std::string usage_of(const std::string& tool, const CommandAt& command) {
    std::string usage = tool + (command.path.empty() ? "" : " " + command.path) + " [OPTIONS]";
    for (const CLI::Option* option : visible_options(*command.app)) {
        if (!option->nonpositional()) {
            const bool many = option->get_items_expected_max() > 1;
            const std::string name = option->get_name(true) + (many ? "..." : "");
            usage += option->get_required() ? " " + name : " [" + name + "]";
        }
    }
    if (!visible_subcommands(*command.app).empty()) {
        usage += " COMMAND";
    }
    return usage;
}

void write_man(std::ostream& out, const CLI::App& app) {
    const std::string tool = app.get_name();
    std::string upper = tool;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    out << ".\\\" The manual of " << tool << ", generated from its command definitions by '" << tool
        << " __reference man'. Do not edit: change the program.\n"
        << ".TH " << roff_word(upper) << " 1 \"\" \"examkit " << EXAM_VERSION
        << "\" \"examkit manual\"\n"
        << ".SH NAME\n"
        << roff_word(tool) << " \\- " << roff_text(without_full_stop(app.get_description())) << '\n'
        << ".SH SYNOPSIS\n"
        << ".B " << roff_word(tool) << "\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]\n"
        << ".SH DESCRIPTION\n"
        << roff_text(without_full_stop(app.get_description()))
        << ". Each command is described below with its own options; the options of the tool "
           "itself are taken by every command, before or after its name. \\fB"
        << roff_word(tool) << " COMMAND \\-\\-help\\fR prints the same from the program.\n"
        << ".SH OPTIONS\n";
    for (const CLI::Option* option : visible_options(app)) {
        write_man_option(out, *option);
    }
    out << ".SH COMMANDS\n";
    const std::vector<CommandAt> commands = all_commands(app);
    for (const CommandAt& command : commands) {
        if (command.path.empty()) {
            continue;
        }
        out << ".SS \"" << roff_word(usage_of(tool, command)) << "\"\n"
            << roff_text(command.app->get_description()) << '\n';
        for (const CLI::Option* option : visible_options(*command.app)) {
            if (option->get_lnames() != std::vector<std::string>{"help"}) {
                write_man_option(out, *option);
            }
        }
    }
    out << ".SH ENVIRONMENT\n"
        << ".TP\n\\fBEXAM_SITE\\fR\nThe site file, when \\fB\\-\\-site\\fR is not given.\n"
        << ".TP\n\\fBEXAM_ACTOR\\fR\nWho is acting, for the journal (default: the login name).\n"
        << ".TP\n\\fBNO_COLOR\\fR\nWhen set, the output is never coloured.\n"
        << ".TP\n\\fBLANG\\fR, \\fBLC_ALL\\fR, \\fBLC_MESSAGES\\fR\nThe language of the messages.\n"
        << ".TP\n\\fBEXAM_LOCALE_DIR\\fR\nA folder of message catalogues to use instead of the "
           "installed ones (LANG/LC_MESSAGES/examkit.mo).\n"
        << ".SH FILES\n"
        << ".TP\n\\fI/etc/examkit/site.toml\\fR\nThe site file when neither \\fB\\-\\-site\\fR, "
           "\\fBEXAM_SITE\\fR nor ./site.toml names one.\n"
        << ".SH EXIT STATUS\n.nf\n"
        << roff_text(app.get_footer()) << "\n.fi\n"
        << ".SH SEE ALSO\n";
    std::string see_also;
    for (const std::string other : {"exam-precheck", "exam-camera", "exam-journal"}) {
        if (other != tool) {
            see_also +=
                (see_also.empty() ? "" : ",\n") + std::string{".BR "} + roff_word(other) + " (1)";
        }
    }
    out << see_also << "\n.PP\nThe guides and file formats in /usr/share/doc/examkit/.\n";
}

// Shell words are quoted whole: names and descriptions may hold spaces, quotes and dollars.
std::string shell_quoted(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) {
        quoted += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
    }
    return quoted + "'";
}

std::string shell_function_name(const std::string& tool) {
    std::string name = "_" + tool;
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

// The `case` branches that follow the command words typed so far down the tree: each command
// word, met at its parent's path, extends the path.
void write_path_walk(std::ostream& out, const std::vector<CommandAt>& commands,
                     const std::string& indent) {
    out << indent << "case \"$command_path:$word\" in\n";
    for (const CommandAt& command : commands) {
        if (command.path.empty()) {
            continue;
        }
        const std::string parent = command.path.substr(
            0, command.path.rfind(' ') == std::string::npos ? 0 : command.path.rfind(' '));
        out << indent << "    " << shell_quoted(parent + ":" + command.app->get_name())
            << ") command_path=" << shell_quoted(command.path) << " ;;\n";
    }
    out << indent << "esac\n";
}

std::string joined(const std::set<std::string>& words, const std::string& separator) {
    std::string text;
    for (const std::string& word : words) {
        text += (text.empty() ? "" : separator) + word;
    }
    return text;
}

// Options that take a value, all commands together, split by whether the value is a path.
void collect_valued(const std::vector<CommandAt>& commands, std::set<std::string>& paths,
                    std::set<std::string>& others) {
    for (const CommandAt& command : commands) {
        for (const CLI::Option* option : visible_options(*command.app)) {
            if (option->nonpositional() && takes_value(*option)) {
                for (const std::string& word : option_words(*option)) {
                    (takes_path(*option) ? paths : others).insert(word);
                }
            }
        }
    }
}

// Whether a command takes positional arguments (cameras, files), to offer paths there.
bool takes_arguments(const CLI::App& command) {
    const auto options = visible_options(command);
    return std::any_of(options.begin(), options.end(),
                       [](const CLI::Option* option) { return !option->nonpositional(); });
}

std::string generated_note(const std::string& tool, const std::string& shell) {
    return std::string{"# "} + shell + " completion for " + tool + " (examkit " + EXAM_VERSION +
           "), generated from its command definitions\n# by '" + tool + " __reference " + shell +
           "'. Do not edit: change the program.\n";
}

// What both completion scripts are written from.
struct ShellFacts {
    std::string tool;
    std::string function;  // the completion function's name
    std::vector<CommandAt> commands;
    std::set<std::string> path_options;   // options whose value is a path
    std::set<std::string> value_options;  // ... or another value
};

ShellFacts shell_facts(const CLI::App& app) {
    ShellFacts facts{.tool = app.get_name(),
                     .function = shell_function_name(app.get_name()),
                     .commands = all_commands(app)};
    collect_valued(facts.commands, facts.path_options, facts.value_options);
    return facts;
}

void write_bash(std::ostream& out, const CLI::App& app) {
    const auto [tool, function, commands, path_options, value_options] = shell_facts(app);

    out << generated_note(tool, "bash") << function << "() {\n"
        << "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        << "    local command_path='' word i commands='' options='' arguments=''\n"
        << "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        << "        word=${COMP_WORDS[i]}\n";
    write_path_walk(out, commands, "        ");
    out << "    done\n"
        << "    case \"$prev\" in\n";
    if (!path_options.empty()) {
        out << "        " << joined(path_options, "|") << ")\n"
            << "            COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
    }
    if (!value_options.empty()) {
        out << "        " << joined(value_options, "|") << ")\n"
            << "            COMPREPLY=(); return ;;\n";
    }
    out << "    esac\n"
        << "    case \"$command_path\" in\n";
    for (const CommandAt& command : commands) {
        std::set<std::string> subcommands;
        for (const CLI::App* sub : visible_subcommands(*command.app)) {
            subcommands.insert(sub->get_name());
        }
        std::set<std::string> options;
        for (const auto& [word, option] : option_words_in_reach(*command.app)) {
            options.insert(word);
        }
        out << "        " << shell_quoted(command.path) << ")\n"
            << "            commands=" << shell_quoted(joined(subcommands, " "))
            << " options=" << shell_quoted(joined(options, " "))
            << " arguments=" << (takes_arguments(*command.app) ? "yes" : "no") << " ;;\n";
    }
    out << "    esac\n"
        << "    if [[ $cur == -* ]]; then\n"
        << "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
        << "    else\n"
        << "        COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n"
        << "        if [[ $arguments == yes ]]; then\n"
        << "            COMPREPLY+=($(compgen -f -- \"$cur\"))\n"
        << "        fi\n"
        << "    fi\n"
        << "}\n"
        << "complete -o filenames -F " << function << ' ' << tool << '\n';
}

// zsh's _describe takes "word:description", a colon in the word escaped.
std::string zsh_item(const std::string& word, const std::string& description) {
    std::string item;
    for (const char c : word) {
        item += c == ':' ? std::string{"\\:"} : std::string(1, c);
    }
    std::string line = description.substr(0, description.find('\n'));
    return shell_quoted(item + ":" + line);
}

void write_zsh(std::ostream& out, const CLI::App& app) {
    const auto [tool, function, commands, path_options, value_options] = shell_facts(app);

    out << "#compdef " << tool << '\n'
        << generated_note(tool, "zsh") << function << "() {\n"
        << "    local command_path='' word i arguments=no\n"
        << "    local -a commands options\n"
        << "    for ((i = 2; i < CURRENT; i++)); do\n"
        << "        word=${words[i]}\n";
    write_path_walk(out, commands, "        ");
    out << "    done\n"
        << "    case ${words[CURRENT-1]} in\n";
    if (!path_options.empty()) {
        out << "        (" << joined(path_options, "|") << ") _files; return ;;\n";
    }
    if (!value_options.empty()) {
        out << "        (" << joined(value_options, "|") << ") _message 'a value'; return ;;\n";
    }
    out << "    esac\n"
        << "    case $command_path in\n";
    for (const CommandAt& command : commands) {
        out << "        (" << shell_quoted(command.path) << ")\n"
            << "            commands=(";
        for (const CLI::App* sub : visible_subcommands(*command.app)) {
            out << "\n                " << zsh_item(sub->get_name(), sub->get_description());
        }
        out << ")\n            options=(";
        for (const auto& [word, option] : option_words_in_reach(*command.app)) {
            out << "\n                " << zsh_item(word, option->get_description());
        }
        out << ")\n            arguments=" << (takes_arguments(*command.app) ? "yes" : "no")
            << " ;;\n";
    }
    out << "    esac\n"
        << "    if [[ $PREFIX == -* ]]; then\n"
        << "        _describe -t options option options\n"
        << "    else\n"
        << "        local shown=1\n"
        << "        (( ${#commands} )) && _describe -t commands command commands && shown=0\n"
        << "        [[ $arguments == yes ]] && _files && shown=0\n"
        << "        return $shown\n"
        << "    fi\n"
        << "}\n"
        << function << " \"$@\"\n";
}

}  // namespace

std::optional<ReferenceFormat> reference_format_named(std::string_view name) {
    if (name == "man") {
        return ReferenceFormat::man;
    }
    if (name == "bash") {
        return ReferenceFormat::bash;
    }
    if (name == "zsh") {
        return ReferenceFormat::zsh;
    }
    return std::nullopt;
}

void write_command_reference(std::ostream& out, const CLI::App& app, ReferenceFormat format) {
    switch (format) {
        case ReferenceFormat::man: write_man(out, app); return;
        case ReferenceFormat::bash: write_bash(out, app); return;
        case ReferenceFormat::zsh: write_zsh(out, app); return;
    }
}

}  // namespace exam::tool
