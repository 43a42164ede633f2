#include "exam-journal/desk.hpp"
#include <iostream>

#include <exam/core/roles.hpp>
#include <exam/journal/admission.hpp>
#include <exam/journal/desk_keys.hpp>
#include <exam/journal/names.hpp>
#include <exam/util/error.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "common/terminal_input.hpp"

namespace exam::tool {
namespace {

// The document the desk refused last, kept (in memory only) so that the operator can admit
// the person anyway without a second scan and a second refusal.
struct Refusal {
    std::string document;
    std::uint64_t entry = 0;
    std::string tail;
};

class EntranceDesk {
public:
    EntranceDesk(Journal& journal, const Site& site, const std::optional<std::string>& exam,
                 const std::optional<std::string>& actor)
        : m_journal(journal), m_site(site), m_exam(exam), m_actor(actor) {}

    // Serves documents until Ctrl-D, or q typed twice in a row.
    void run() {
        bool quit_asked = false;
        while (!m_closing) {
            const TypedInput input = m_keyboard.next(_("Document: "));
            if (input.kind == TypedInput::Kind::end) {
                break;
            }
            const DeskCommand command = input.kind == TypedInput::Kind::line
                                            ? desk_command(input.text)
                                            : DeskCommand::nothing;
            if (command == DeskCommand::quit && quit_asked) {
                break;
            }
            quit_asked = command == DeskCommand::quit;
            try {
                switch (command) {
                    case DeskCommand::quit:
                        std::cout << _("Type q and Enter once more to close the desk.") << '\n';
                        break;
                    case DeskCommand::nothing:  // a stray Enter: just ask again
                        break;
                    case DeskCommand::admit_anyway: admit_anyway(); break;
                    case DeskCommand::document: serve(input.text); break;
                }
            } catch (const InputError& e) {
                std::cout << _f("not recorded: {}", for_terminal(e.what())) << '\n';
            }
        }
    }

private:
    void serve(const std::string& document) {
        m_refusal.reset();
        if (const auto inside = inside_by_document(m_journal, document)) {
            if (ask_yes_or_no(_f("{} ({}) is inside since {}. y: record EXIT, n: skip ",
                                 for_terminal(inside->name), for_terminal(inside->role),
                                 m_site.timezone.format_for_display(inside->since)))) {
                const JournalEntry entry = record_exit(
                    m_journal, ExitRequest{.entry = inside->enter_seq, .actor = m_actor});
                std::cout << _f("EXIT recorded: {} (entry {})", for_terminal(inside->name),
                                entry.seq)
                          << '\n';
            }
            return;
        }
        const auto person = find_on_roster(m_journal, document, m_exam);
        if (!person) {
            const JournalEntry entry = deny_unknown_document(m_journal, document, m_exam, m_actor);
            std::cout << _f("NOT ON THE STAFF LIST: refused and recorded (entry {}). To admit "
                            "anyway, type a and Enter.",
                            entry.seq)
                      << '\n';
            m_refusal = Refusal{document, entry.seq, entry.doc_tail.value_or("")};
            return;
        }
        if (ask_yes_or_no(_f("{} ({}). y: ADMIT, n: skip ", for_terminal(person->name),
                             for_terminal(person->role)))) {
            report(admit(m_journal, m_site,
                         AdmissionRequest{.name = person->name,
                                          .role = person->role,
                                          .exam = m_exam,
                                          .document = document,
                                          .actor = m_actor}));
        }
    }

    // The override the journal records with its reason, as 'exam-journal enter --admit-anyway
    // --reason' does.
    void admit_anyway() {
        if (!m_refusal) {
            std::cout << _("nobody has just been refused: a and Enter admits anyway the person the "
                           "desk refused last; scan their document first")
                      << '\n';
            return;
        }
        std::cout << _f("Admitting anyway the document ending {} (refused in entry {}); what you "
                        "type is not shown, Esc cancels.",
                        for_terminal(m_refusal->tail), m_refusal->entry)
                  << '\n';
        const auto name = ask_name();
        const auto role = name ? ask_role() : std::nullopt;
        const auto reason = role ? ask_text(_("Reason (who approved it): ")) : std::nullopt;
        if (!reason ||
            !ask_yes_or_no(_f("Admit {} ({}) anyway, reason \"{}\"? y: ADMIT ANYWAY, n: cancel ",
                              for_terminal(*name), for_terminal(*role), for_terminal(*reason)))) {
            std::cout << _("Nothing recorded.") << '\n';
            return;
        }
        const AdmissionResult result = admit(m_journal, m_site,
                                             AdmissionRequest{.name = *name,
                                                              .role = *role,
                                                              .exam = m_exam,
                                                              .document = m_refusal->document,
                                                              .admit_anyway_reason = *reason,
                                                              .actor = m_actor});
        m_refusal.reset();
        report(result);
    }

    void report(const AdmissionResult& result) {
        const std::string name = for_terminal(result.entry.name.value_or(""));
        switch (result.outcome) {
            case AdmissionOutcome::admitted:
            case AdmissionOutcome::admitted_exempt:
                std::cout << _f("ADMITTED: {} (entry {})", name, result.entry.seq) << '\n';
                return;
            case AdmissionOutcome::admitted_override:
                std::cout << _f("ADMITTED ANYWAY: {} (entry {}); the override is recorded ({}).",
                                name, result.entry.seq, for_terminal(result.explanation))
                          << '\n';
                return;
            case AdmissionOutcome::denied:
                std::cout << _f("REFUSED: {}: {} (entry {})", name,
                                for_terminal(result.explanation), result.entry.seq)
                          << '\n';
                return;
        }
    }

    // Input typed before a question is shown was meant for no question: most likely the next
    // person's scan, which must never be read as an answer, nor one character of it as a key.
    void forget_typed_ahead() {
        if (m_keyboard.discard_typed_ahead()) {
            std::cout << _("ignored a scan typed before the answer; scan again") << '\n';
        }
    }

    // True only on y (н) and Enter. n (т) and Enter, Esc or Ctrl-D say no; Enter alone and a
    // scan ask again.
    bool ask_yes_or_no(const std::string& question) {
        forget_typed_ahead();
        while (true) {
            const TypedInput input = m_keyboard.next(question);
            if (input.kind == TypedInput::Kind::end) {
                m_closing = true;
                std::cout << _("skipped; the desk closes") << '\n';
                return false;
            }
            const DeskAnswer answer =
                input.kind == TypedInput::Kind::escape ? DeskAnswer::no : desk_answer(input.text);
            switch (answer) {
                case DeskAnswer::yes: return true;
                case DeskAnswer::no: std::cout << _("skipped") << '\n'; return false;
                case DeskAnswer::nothing: break;
                case DeskAnswer::scan:
                    std::cout << _("ignored a scan typed before the answer; scan again") << '\n';
                    break;
                case DeskAnswer::other:
                    std::cout << _("answer y and Enter, or n and Enter (Esc also skips)") << '\n';
                    break;
            }
        }
    }

    // A line of text; nullopt when the operator cancels with Esc or Ctrl-D.
    std::optional<std::string> ask_text(const std::string& prompt) {
        forget_typed_ahead();
        while (true) {
            const TypedInput input = m_keyboard.next(prompt);
            if (input.kind == TypedInput::Kind::end) {
                m_closing = true;
                return std::nullopt;
            }
            if (input.kind == TypedInput::Kind::escape) {
                return std::nullopt;
            }
            const std::string text = clean_name(input.text);
            if (!text.empty()) {
                return text;
            }
        }
    }

    std::optional<std::string> ask_name() {
        while (auto name = ask_text(_("Full name: "))) {
            // A name with digits is most likely a scan that landed here; it is not shown back.
            if (name->find_first_of("0123456789") == std::string::npos) {
                return name;
            }
            std::cout << _("a name has no digits; type the full name again") << '\n';
        }
        return std::nullopt;
    }

    std::optional<std::string> ask_role() {
        const std::string prompt = _f("Role ({}): ", known_roles_text());
        while (auto role = ask_text(prompt)) {
            if (is_known_role(*role)) {
                return role;
            }
            std::cout << _("that is not one of the roles listed; type one of them") << '\n';
        }
        return std::nullopt;
    }

    Journal& m_journal;
    const Site& m_site;
    const std::optional<std::string>& m_exam;
    const std::optional<std::string>& m_actor;
    DeskKeyboard m_keyboard;
    std::optional<Refusal> m_refusal;
    bool m_closing = false;
};

}  // namespace

int run_entrance_desk(Journal& journal, const Site& site, const std::optional<std::string>& exam,
                      const std::optional<std::string>& actor) {
    if (!input_is_terminal()) {
        throw UsageError(
            _("the entrance desk needs a terminal; for scripts use 'exam-journal enter' and "
              "'exam-journal exit'"));
    }
    std::cout << _f("Entrance desk of exam point {}, exam {}.", site.ppe_code,
                    exam.value_or(_("(none today)")))
              << '\n'
              << _("Scan or type a document number and Enter (it is not shown). At a question, "
                   "y and Enter admits or records the exit; n and Enter, or Esc, skips. After "
                   "a refusal, a and Enter admits anyway with a reason. The Russian layout "
                   "works too (н, т, ф, й).")
              << '\n'
              << _("To close the desk: Ctrl-D, or q and Enter twice.") << '\n';
    EntranceDesk desk{journal, site, exam, actor};
    desk.run();
    journal.close();
    std::cout << _("The desk is closed.") << '\n';
    return 0;
}

}  // namespace exam::tool
