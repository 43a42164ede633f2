// The readiness protocol: the paper the technician and the commission member sign before the
// exam, as HTML that prints on one or two A4 pages. One station's run, or the whole exam
// point's summary of its stations (docs/check-report.md). Every value from outside is escaped.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/precheck/result.hpp>
#include <exam/precheck/run_report.hpp>

namespace exam {

// One station's run, as it ran or as read back from its JSON report.
struct StationRun {
    RunInfo info;
    std::vector<CheckResult> results;
};

// The access journal's latest signed checkpoint: the paper carries the journal's state.
struct JournalState {
    std::string origin;
    std::uint64_t entries = 0;
    std::string root_hash;  // base64, as in the checkpoint note
    TimePoint signed_at;
    std::string note;         // the whole signed note, as stored: printed to be copied
    std::string public_key;   // the key the journal carries, as a verifier key
    std::string fingerprint;  // of that key, to be compared aloud
};

struct ProtocolContext {
    const Site* site = nullptr;  // the exam point's codes, name, exam subject; may be absent
    std::optional<JournalState> journal;
    std::string journal_problem;  // why there is no journal state, when there is none
};

// The journal's latest checkpoint, read-only; nullopt with `problem` set when the site has no
// journal yet or it cannot be read (the protocol says so rather than failing the run).
EXAM_EXPORT std::optional<JournalState> read_journal_state(const Site& site, std::string& problem);

// One station: every check with its outcome, observed value and message. Several stations:
// the readiness table of the exam point, then every problem found.
EXAM_EXPORT void write_protocol_html(std::ostream& out, const ProtocolContext& context,
                                     std::span<const StationRun> stations);

// `exam-precheck summary`: the stations' JSON reports read back. Throws InputError naming
// the file and what is wrong with it.
EXAM_EXPORT StationRun read_run_report(const std::filesystem::path& file);
EXAM_EXPORT void write_summary_text(std::ostream& out, std::span<const StationRun> stations,
                                    const Palette& palette);
EXAM_EXPORT void write_summary_json(std::ostream& out, std::span<const StationRun> stations);
// The exam point's exit code: the worst of its stations' (0 ready ... 2 not ready, 3 unknown).
EXAM_EXPORT ExitCode summary_exit_code(std::span<const StationRun> stations);

}  // namespace exam
