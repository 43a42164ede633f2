// Finding and reading the site file. Strict: an unknown key, a wrong type, a duplicate id or a
// bad date, time, duration or timezone is a ConfigError starting with FILE:LINE:COL.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>

namespace exam {

// Where a site file may come from, in the order they are tried.
struct SiteFileSources {
    std::optional<std::filesystem::path> flag;         // --site
    std::optional<std::filesystem::path> environment;  // EXAM_SITE
    std::filesystem::path working_directory = ".";     // ./site.toml
    std::filesystem::path system_file = "/etc/examkit/site.toml";
};

// The first source given: --site, then EXAM_SITE (each must exist when given), then
// ./site.toml, then /etc/examkit/site.toml. Throws ConfigError saying where it looked.
EXAM_EXPORT std::filesystem::path locate_site_file(const SiteFileSources& sources);

// Relative paths in the file are resolved against its real folder (symlinks and ".." resolved),
// however `file` is spelled. Refuses (ConfigError) a site whose journal is missing while one
// sits where examkit once put it by mistake (<folder>/<folder>/data/journal.sqlite).
EXAM_EXPORT Site load_site(const std::filesystem::path& file);
// The same from text, for tests and for embedded defaults; `file` names it in messages and
// anchors relative paths.
EXAM_EXPORT Site parse_site(std::string_view text, const std::filesystem::path& file);

}  // namespace exam
