// SHA256SUMS of an export package: a "<hex>  <path>" line per file (two spaces, '/' between
// folders, paths relative to the package folder, sorted by path, '\n' after each line), the
// form coreutils' `sha256sum -c` checks without any option.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <exam/export.hpp>

namespace exam {

struct Checksum {
    std::string path;
    std::string sha256;  // 64 lower-case hex digits
};

// The file's text, sorted by path. Throws InputError for a path that is not a plain relative
// path (absolute, "..", ".", empty parts, a backslash or line break that sha256sum would
// escape) or a hash that is not 64 lower-case hex digits, and for a path given twice.
EXAM_EXPORT std::string sha256sums_text(std::vector<Checksum> files);

// The lines of a SHA256SUMS file, in its order. Throws InputError naming `where` and the line
// for a malformed line, a path that leaves the package or is not plain, and a path listed twice.
EXAM_EXPORT std::vector<Checksum> parse_sha256sums(std::string_view text, std::string_view where);

}  // namespace exam
