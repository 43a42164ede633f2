// A tool's manual page and shell completions, written from its own command definitions (the
// CLI11 app that also answers --help), so that neither can drift from the program. The build
// runs each tool's hidden `__reference FORMAT` command to make them (docs/install.md).
#pragma once

#include <iosfwd>
#include <optional>
#include <string_view>

namespace CLI {
class App;
}

namespace exam::tool {

enum class ReferenceFormat { man, bash, zsh };

// "man", "bash" or "zsh"; nullopt for anything else.
std::optional<ReferenceFormat> reference_format_named(std::string_view name);

// The manual page (roff, section 1) or the completion script of the tool `app` describes.
// Commands in the empty group (hidden ones, like `__reference` itself) are left out.
void write_command_reference(std::ostream& out, const CLI::App& app, ReferenceFormat format);

}  // namespace exam::tool
