// What the tests of exam-camera share: a judge (ffmpeg, ffprobe, a Python script) run to its
// end, and the recordings index read while a recorder may still be creating it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <exam/recording/segment_index.hpp>
#include <exam/util/subprocess.hpp>

namespace exam::testing {

// Runs `argv` in `folder` and waits for it, for a minute at most.
SubprocessResult run_program(std::vector<std::string> argv,
                             const std::filesystem::path& folder = ".");

// The segments of the index under `recordings`; none while it does not exist yet, so that a
// test can poll it.
std::vector<SegmentRecord> indexed_segments(const std::filesystem::path& recordings);

}  // namespace exam::testing
