// `exam-journal verify` of a damaged journal: the input is the SQLite file an auditor is
// handed (seeds: real journals), opened read-only and checked as the auditor's command does.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <exam/journal/journal.hpp>
#include <exam/journal/verify.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path file =
        std::filesystem::temp_directory_path() /
        ("examkit-fuzz-journal-" + std::to_string(::getpid()) + ".sqlite");
    // SQLite's files beside it from the last input would be read with this one.
    for (const char* companion : {"-wal", "-shm", "-journal"}) {
        std::filesystem::remove(file.string() + companion);
    }
    {
        std::ofstream out{file, std::ios::binary | std::ios::trunc};
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    exam::fuzz::refusals_are_typed([&] {
        exam::Journal journal = exam::Journal::open_read_only(file);
        (void)exam::verify_journal(journal, exam::VerifyOptions{});
    });
    return 0;
}
