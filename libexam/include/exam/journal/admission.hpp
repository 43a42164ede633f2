// Admission at the entrance: checking a person against the staff list, recording entries,
// refusals and exits, and knowing who is inside.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/journal/journal.hpp>

namespace exam {

// The exam an admission is for: `requested` when given (it must be in the site file), else
// the site's only exam on the day of `now`, else none (only roster rows without an exam
// count). Two exams that day and none requested is a UsageError asking for --exam.
EXAM_EXPORT std::optional<std::string> resolve_exam(const Site& site,
                                                    const std::optional<std::string>& requested,
                                                    TimePoint now);

struct AdmissionRequest {
    std::string name;
    std::string role;
    std::optional<std::string> exam;
    std::string document;  // as typed; normalised and hashed here, never stored
    std::optional<std::string> note;
    std::optional<std::string> admit_anyway_reason;  // the override
    std::optional<std::string> actor;
};

enum class AdmissionOutcome { admitted, admitted_exempt, admitted_override, denied };

struct AdmissionResult {
    AdmissionOutcome outcome;
    JournalEntry entry;
    std::string explanation;  // why denied, or what the override overrode
};

// The role may be an id or a PPE-07 title ("член ГЭК"); the entry holds the id. Throws
// UsageError for an unknown role, InputError when the person is inside already or the
// document is unreadable.
EXAM_EXPORT AdmissionResult admit(Journal& journal, const Site& site,
                                  const AdmissionRequest& typed);

// A person on the roster found by document number alone (the entrance desk's scanner).
struct RosterMatch {
    std::string name;
    std::string role;
    std::optional<std::string> exam;
};
EXAM_EXPORT std::optional<RosterMatch> find_on_roster(Journal& journal, std::string_view document,
                                                      const std::optional<std::string>& exam);

// The entrance desk's refusal of a document that is on no staff list row: recorded as denied,
// with no name (none was given).
EXAM_EXPORT JournalEntry deny_unknown_document(Journal& journal, std::string_view document,
                                               const std::optional<std::string>& exam,
                                               const std::optional<std::string>& actor);

struct InsidePerson {
    std::uint64_t enter_seq;
    std::string name;
    std::string role;
    std::optional<std::string> exam;
    TimePoint since;
    std::string doc_hmac;
};
EXAM_EXPORT std::vector<InsidePerson> people_inside(Journal& journal);
EXAM_EXPORT std::optional<InsidePerson> inside_by_document(Journal& journal,
                                                           std::string_view document);

struct ExitRequest {
    std::optional<std::string> name;
    std::optional<std::uint64_t> entry;
    // Asked only when the name alone does not tell who is leaving.
    std::function<std::string()> read_document;
    std::optional<std::string> note;
    std::optional<std::string> actor;
};

// Throws InputError when nobody matching is inside (leaving twice, or never entered).
EXAM_EXPORT JournalEntry record_exit(Journal& journal, const ExitRequest& request);

}  // namespace exam
