#include "support/recordings.hpp"

#include <exam/util/error.hpp>

namespace exam::testing {

SubprocessResult run_program(std::vector<std::string> argv, const std::filesystem::path& folder) {
    SubprocessRequest request;
    request.argv = std::move(argv);
    request.working_directory = folder;
    request.timeout = std::chrono::seconds{60};
    return run_subprocess(request);
}

std::vector<SegmentRecord> indexed_segments(const std::filesystem::path& recordings) {
    try {
        return SegmentIndex::open_read_only(SegmentIndex::file_in(recordings)).segments();
    } catch (const Error&) {
        return {};  // not created yet, or being created: the caller polls
    }
}

}  // namespace exam::testing
