#include <exam/precheck/run_journal.hpp>
#include <exam/util/error.hpp>

namespace exam {

void record_run_in_journal(SiteJournal& journal, RunInfo& info,
                           std::span<const CheckResult> results,
                           const std::optional<std::string>& actor) {
    if (!journal.kept) {
        info.journalled = RunJournalled::not_kept;
        return;
    }
    if (!journal.journal) {
        info.journalled = RunJournalled::no;
        info.journal_problem = journal.problem;
        return;
    }
    JournalEntry entry;
    entry.kind = EntryKind::operability_check;
    entry.exam = info.exam;
    entry.note = run_journal_note(info, results);
    entry.actor = actor;
    try {
        journal.journal->append(entry);
        journal.journal->close();
        info.journalled = RunJournalled::yes;
    } catch (const Error& e) {
        info.journalled = RunJournalled::no;
        info.journal_problem = e.what();
    }
}

}  // namespace exam
