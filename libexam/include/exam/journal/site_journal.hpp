// The site's own journal as the commands that record evidence open it: for writing when this
// station keeps one, with the reason in words when it should and cannot. Evidence is never
// silent: a command that gets a problem says so at its start and at its end, and in its report.
#pragma once

#include <optional>
#include <string>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/journal/journal.hpp>

namespace exam {

struct SiteJournal {
    std::optional<Journal> journal;  // open for writing
    // False when the site file says this station keeps no journal ([journal] keep = false):
    // then nothing is expected and nothing is missed.
    bool kept = true;
    // When kept and not open: why, and what to do.
    std::string problem;

    [[nodiscard]] bool missing() const { return kept && !journal; }
};

// Never throws for a journal that is absent or cannot be opened: the caller records its
// evidence elsewhere (the recordings, the report) and says that the journal has not got it.
EXAM_EXPORT SiteJournal open_site_journal(const Site& site);

}  // namespace exam
