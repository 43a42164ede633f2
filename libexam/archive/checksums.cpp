#include <algorithm>
#include <map>

#include <exam/archive/checksums.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

bool is_sha256_hex(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

// What is wrong with a path for SHA256SUMS, or empty when it is a plain relative path inside
// the package. sha256sum would escape a backslash or a line break; none of ours has one.
std::string path_problem(std::string_view path) {
    if (path.empty()) {
        return _("the path is empty");
    }
    if (path.front() == '/') {
        return _("the path is absolute; paths must be relative to the package folder");
    }
    if (path.find_first_of("\\\n\r") != std::string_view::npos ||
        path.find('\0') != std::string_view::npos) {
        return _("the path holds a backslash or a line break");
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") {
            return _(
                "the path has an empty, \".\" or \"..\" part; it must stay inside the "
                "package folder");
        }
        start = end + 1;
    }
    return {};
}

}  // namespace

std::string sha256sums_text(std::vector<Checksum> files) {
    std::sort(files.begin(), files.end(),
              [](const Checksum& a, const Checksum& b) { return a.path < b.path; });
    std::string text;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const Checksum& file = files[i];
        if (const std::string problem = path_problem(file.path); !problem.empty()) {
            throw InputError(_f("cannot list \"{}\" in SHA256SUMS: {}", file.path, problem));
        }
        if (!is_sha256_hex(file.sha256)) {
            throw InputError(
                _f("cannot list \"{}\" in SHA256SUMS: its hash \"{}\" is not 64 "
                   "lower-case hex digits",
                   file.path, file.sha256));
        }
        if (i > 0 && files[i - 1].path == file.path) {
            throw InputError(_f("cannot list \"{}\" in SHA256SUMS twice", file.path));
        }
        text += file.sha256;
        text += "  ";
        text += file.path;
        text += '\n';
    }
    return text;
}

std::vector<Checksum> parse_sha256sums(std::string_view text, std::string_view where) {
    std::vector<Checksum> files;
    std::map<std::string, std::size_t, std::less<>> line_of;
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const std::size_t end = text.find('\n');
        if (end == std::string_view::npos) {
            throw InputError(
                _f("{}:{}: the last line has no line end; the file was cut short "
                   "or edited",
                   where, line_number));
        }
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end + 1);
        if (line.size() < 67 || !is_sha256_hex(line.substr(0, 64)) || line.substr(64, 2) != "  ") {
            throw InputError(
                _f("{}:{}: expected \"<64 lower-case hex digits>  <path>\", found "
                   "\"{}\"",
                   where, line_number, line.substr(0, 120)));
        }
        const std::string_view path = line.substr(66);
        if (const std::string problem = path_problem(path); !problem.empty()) {
            throw InputError(_f("{}:{}: \"{}\": {}", where, line_number, path, problem));
        }
        if (const auto seen = line_of.find(path); seen != line_of.end()) {
            throw InputError(_f("{}:{}: \"{}\" is listed twice (also on line {})", where,
                                line_number, path, seen->second));
        }
        line_of.emplace(std::string{path}, line_number);
        files.push_back(
            Checksum{.path = std::string{path}, .sha256 = std::string{line.substr(0, 64)}});
    }
    return files;
}

}  // namespace exam
