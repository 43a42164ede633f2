#include <exam/journal/site_journal.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {

SiteJournal open_site_journal(const Site& site) {
    SiteJournal opened;
    opened.kept = site.journal.keep;
    if (!opened.kept) {
        return opened;
    }
    std::error_code error;
    if (!std::filesystem::exists(site.paths.journal, error)) {
        opened.problem = _f(
            "the journal \"{}\" does not exist: run 'exam-journal init' once on the exam point's "
            "server (see docs/guide-technician.md); on a room station that keeps no journal, "
            "set [journal] keep = false in {}",
            site.paths.journal.string(), site.file.string());
        return opened;
    }
    try {
        opened.journal.emplace(Journal::open(site));
    } catch (const Error& e) {
        opened.problem = _f("the journal \"{}\" cannot be opened for writing: {}",
                            site.paths.journal.string(), e.what());
    }
    return opened;
}

}  // namespace exam
