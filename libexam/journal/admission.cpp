#include <algorithm>

#include <SQLiteCpp/Statement.h>

#include <exam/core/roles.hpp>
#include <exam/journal/admission.hpp>
#include <exam/journal/names.hpp>
#include <exam/util/error.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

struct Document {
    std::string hmac;
    std::string tail;
};

Document hash_document(const Journal& journal, std::string_view typed) {
    const std::string normalised = normalise_document_number(typed);
    if (normalised.size() < 4) {
        throw InputError(
            _("the document number must have at least 4 letters and digits; "
              "read it again"));
    }
    return Document{journal.document_hmac(normalised), normalised.substr(normalised.size() - 4)};
}

InsidePerson read_inside(SQLite::Statement& query) {
    InsidePerson person;
    person.enter_seq = static_cast<std::uint64_t>(query.getColumn(0).getInt64());
    person.name = query.getColumn(1).getString();
    person.role = query.getColumn(2).getString();
    if (!query.getColumn(3).isNull()) {
        person.exam = query.getColumn(3).getString();
    }
    person.since = parse_utc(query.getColumn(4).getString()).value_or(TimePoint{});
    person.doc_hmac = query.getColumn(5).getString();
    return person;
}

constexpr const char* k_inside_columns =
    "SELECT enter_seq, name, role, exam, since, doc_hmac FROM presence";

std::optional<InsidePerson> inside_by_hmac(Journal& journal, const std::string& hmac) {
    SQLite::Statement query(journal.database(),
                            std::string{k_inside_columns} + " WHERE doc_hmac = ?");
    query.bind(1, hmac);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_inside(query);
}

// Why a person is not on the roster, in words the entrance staff can act on; the journal keeps
// the English words (an entry must not depend on the terminal's language).
RecordedText explain_refusal(Journal& journal, const std::string& key, const std::string& role,
                             const Document& document, const std::optional<std::string>& exam) {
    SQLite::Statement by_document(
        journal.database(), "SELECT name, name_key, role, exam FROM roster WHERE doc_hmac = ?");
    by_document.bind(1, document.hmac);
    while (by_document.executeStep()) {
        const std::string listed_name = by_document.getColumn(0).getString();
        if (by_document.getColumn(1).getString() != key) {
            return _rf("the document ending {} belongs to another person on the staff list",
                       document.tail);
        }
        if (by_document.getColumn(2).getString() != role) {
            return _rf("{} is on the staff list as {}, not {}", listed_name,
                       by_document.getColumn(2).getString(), role);
        }
        // The row names an exam (a row without one would have matched), and not this one.
        const std::string listed_exam =
            by_document.getColumn(3).isNull() ? "" : by_document.getColumn(3).getString();
        if (!exam) {
            return _rf("{} is on the staff list for exam {}, and this admission is for no exam",
                       listed_name, listed_exam);
        }
        return _rf("{} is on the staff list for exam {}, not {}", listed_name, listed_exam, *exam);
    }
    SQLite::Statement by_name(journal.database(), "SELECT count(*) FROM roster WHERE name_key = ?");
    by_name.bind(1, key);
    by_name.executeStep();
    if (by_name.getColumn(0).getInt() > 0) {
        return _rf("the document ending {} does not match the staff list's document for this name",
                   document.tail);
    }
    return _rf("not on the staff list");
}

}  // namespace

std::optional<std::string> resolve_exam(const Site& site,
                                        const std::optional<std::string>& requested,
                                        TimePoint now) {
    if (requested) {
        if (site.find_exam(*requested) == nullptr) {
            throw UsageError(
                _f("exam \"{}\" is not in the site file \"{}\"", *requested, site.file.string()) +
                site.suggest_exam(*requested));
        }
        return requested;
    }
    const auto today = site.exams_on_day_of(now);
    if (today.size() == 1) {
        return today.front()->id;
    }
    if (today.size() > 1) {
        std::string ids;
        for (const Exam* exam : today) {
            ids += ids.empty() ? "" : ", ";
            ids += exam->id;
        }
        throw UsageError(
            _f("there are {} exams today ({}); say which with --exam", today.size(), ids));
    }
    return std::nullopt;
}

std::optional<RosterMatch> find_on_roster(Journal& journal, std::string_view document,
                                          const std::optional<std::string>& exam) {
    const Document hashed = hash_document(journal, document);
    SQLite::Statement query(journal.database(),
                            "SELECT name, role, exam FROM roster WHERE doc_hmac = ? AND "
                            "(exam IS NULL OR exam = ?) ORDER BY exam IS NULL LIMIT 1");
    query.bind(1, hashed.hmac);
    if (exam) {
        query.bind(2, *exam);
    } else {
        query.bind(2);
    }
    if (!query.executeStep()) {
        return std::nullopt;
    }
    RosterMatch match{query.getColumn(0).getString(), query.getColumn(1).getString(), std::nullopt};
    if (!query.getColumn(2).isNull()) {
        match.exam = query.getColumn(2).getString();
    }
    return match;
}

AdmissionResult admit(Journal& journal, const Site& site, const AdmissionRequest& typed) {
    // "член ГЭК" typed at the entrance is the role "commission" from here on: the roster,
    // the exempt roles and the entry all hold role ids.
    const std::optional<std::string> role = role_from_text(typed.role);
    if (!role) {
        throw UsageError(unknown_role_text(typed.role));
    }
    AdmissionRequest request = typed;
    request.role = *role;
    std::string name = clean_name(request.name);
    if (name.empty()) {
        throw UsageError(_("the name is empty"));
    }
    if (has_unprintable_characters(name)) {
        // As the staff list refuses them: such a name would reach every terminal that lists it.
        throw InputError(
            _f("the name \"{}\" holds a control character or a bidirectional "
               "override; type it again",
               for_terminal(name)));
    }
    const std::string key = name_key(name);
    const Document document = hash_document(journal, request.document);
    if (const auto inside = inside_by_hmac(journal, document.hmac)) {
        throw InputError(_f("{} is inside already, since {} (entry {}); record their exit first",
                            inside->name, site.timezone.format_for_display(inside->since),
                            inside->enter_seq));
    }

    AdmissionResult result{AdmissionOutcome::admitted, {}, {}};
    RecordedText refusal;
    const bool exempt =
        std::find(site.journal.roster_exempt_roles.begin(), site.journal.roster_exempt_roles.end(),
                  request.role) != site.journal.roster_exempt_roles.end();
    if (exempt) {
        result.outcome = AdmissionOutcome::admitted_exempt;
    } else {
        SQLite::Statement match(
            journal.database(),
            "SELECT name FROM roster WHERE doc_hmac = ? AND name_key = ? AND role = ? "
            "AND (exam IS NULL OR exam = ?)");
        match.bind(1, document.hmac);
        match.bind(2, key);
        match.bind(3, request.role);
        if (request.exam) {
            match.bind(4, *request.exam);
        } else {
            match.bind(4);
        }
        if (match.executeStep()) {
            name = match.getColumn(0).getString();  // the staff list's spelling, not the typing
        } else {
            refusal = explain_refusal(journal, key, request.role, document, request.exam);
            result.explanation = refusal.shown;
            result.outcome = request.admit_anyway_reason ? AdmissionOutcome::admitted_override
                                                         : AdmissionOutcome::denied;
        }
    }

    JournalEntry entry;
    entry.kind = result.outcome == AdmissionOutcome::denied ? EntryKind::denied : EntryKind::enter;
    entry.exam = request.exam;
    entry.name = name;
    entry.role = request.role;
    entry.doc_hmac = document.hmac;
    entry.doc_tail = document.tail;
    entry.note = request.note;
    entry.actor = request.actor;
    // The journal's words are English whatever the terminal's language (docs/journal-format.md).
    if (result.outcome == AdmissionOutcome::denied) {
        entry.reason = refusal.recorded;
    } else if (result.outcome == AdmissionOutcome::admitted_override) {
        entry.reason =
            fmt::format("admitted anyway: {} ({})", *request.admit_anyway_reason, refusal.recorded);
    }
    result.entry = journal.append(entry, [&](SQLite::Database& database,
                                             const JournalEntry& written) {
        if (written.kind != EntryKind::enter) {
            return;
        }
        // Checked again inside the write transaction: another terminal may have admitted the
        // same person since the check above. Throwing here rolls the entry back.
        SQLite::Statement already(database, "SELECT 1 FROM presence WHERE doc_hmac = ?");
        already.bind(1, document.hmac);
        if (already.executeStep()) {
            throw InputError(
                _f("{} has just been admitted by another terminal; nothing was recorded", name));
        }
        SQLite::Statement insert(database,
                                 "INSERT INTO presence (doc_hmac, enter_seq, name, name_key, role, "
                                 "exam, since) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, document.hmac);
        insert.bind(2, static_cast<std::int64_t>(written.seq));
        insert.bind(3, name);
        insert.bind(4, key);
        insert.bind(5, request.role);
        if (request.exam) {
            insert.bind(6, *request.exam);
        } else {
            insert.bind(6);
        }
        insert.bind(7, format_utc(written.time));
        insert.exec();
    });
    return result;
}

JournalEntry deny_unknown_document(Journal& journal, std::string_view document,
                                   const std::optional<std::string>& exam,
                                   const std::optional<std::string>& actor) {
    const Document hashed = hash_document(journal, document);
    JournalEntry entry;
    entry.kind = EntryKind::denied;
    entry.exam = exam;
    entry.doc_hmac = hashed.hmac;
    entry.doc_tail = hashed.tail;
    entry.reason = "the document is not on the staff list";  // journal text: never translated
    entry.actor = actor;
    return journal.append(entry);
}

std::vector<InsidePerson> people_inside(Journal& journal) {
    SQLite::Statement query(journal.database(),
                            std::string{k_inside_columns} + " ORDER BY since, enter_seq");
    std::vector<InsidePerson> people;
    while (query.executeStep()) {
        people.push_back(read_inside(query));
    }
    return people;
}

std::optional<InsidePerson> inside_by_document(Journal& journal, std::string_view document) {
    return inside_by_hmac(journal, hash_document(journal, document).hmac);
}

JournalEntry record_exit(Journal& journal, const ExitRequest& request) {
    std::optional<InsidePerson> person;
    if (request.entry) {
        SQLite::Statement query(journal.database(),
                                std::string{k_inside_columns} + " WHERE enter_seq = ?");
        query.bind(1, static_cast<std::int64_t>(*request.entry));
        if (query.executeStep()) {
            person = read_inside(query);
        } else {
            throw InputError(
                _f("nobody who came in with entry {} is inside: they have left already, "
                   "or entry {} is not an entry into the exam point",
                   *request.entry, *request.entry));
        }
    } else if (request.name) {
        const std::string key = name_key(*request.name);
        SQLite::Statement query(journal.database(),
                                std::string{k_inside_columns} + " WHERE name_key = ?");
        query.bind(1, key);
        std::vector<InsidePerson> matches;
        while (query.executeStep()) {
            matches.push_back(read_inside(query));
        }
        if (matches.empty()) {
            throw InputError(
                _f("nobody named \"{}\" is inside: they have left already or never "
                   "entered; 'exam-journal inside' lists who is",
                   *request.name));
        }
        if (matches.size() == 1) {
            person = matches.front();
        } else {
            if (!request.read_document) {
                throw UsageError(_f("{} people named \"{}\" are inside; give --entry ID",
                                    matches.size(), *request.name));
            }
            const std::string hmac = hash_document(journal, request.read_document()).hmac;
            for (const InsidePerson& match : matches) {
                if (match.doc_hmac == hmac) {
                    person = match;
                }
            }
            if (!person) {
                throw InputError(_f("none of the {} people named \"{}\" inside has that document",
                                    matches.size(), *request.name));
            }
        }
    } else {
        throw UsageError(_("say who is leaving: --name NAME or --entry ID"));
    }

    JournalEntry entry;
    entry.kind = EntryKind::exit;
    entry.exam = person->exam;
    entry.name = person->name;
    entry.role = person->role;
    entry.doc_hmac = person->doc_hmac;
    SQLite::Statement tail(journal.database(), "SELECT doc_tail FROM entry WHERE seq = ?");
    tail.bind(1, static_cast<std::int64_t>(person->enter_seq));
    if (tail.executeStep() && !tail.getColumn(0).isNull()) {
        entry.doc_tail = tail.getColumn(0).getString();
    }
    entry.note = request.note;
    entry.actor = request.actor;
    return journal.append(entry, [&](SQLite::Database& database, const JournalEntry&) {
        SQLite::Statement remove(database, "DELETE FROM presence WHERE doc_hmac = ?");
        remove.bind(1, person->doc_hmac);
        if (remove.exec() != 1) {
            throw InputError(
                _f("{} has just been recorded as leaving by another terminal", person->name));
        }
    });
}

}  // namespace exam
