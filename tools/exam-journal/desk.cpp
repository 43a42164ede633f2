#include "exam-journal/desk.hpp"
#include <iostream>

#include <exam/journal/admission.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

#include "common/terminal_input.hpp"

namespace exam::tool {
namespace {

bool confirmed(std::string_view question) {
    const auto key = read_keystroke(question);
    std::cout << '\n';
    return key && (*key == '\n' || *key == '\r');
}

}  // namespace

int run_entrance_desk(Journal& journal, const Site& site, const std::optional<std::string>& exam,
                      const std::optional<std::string>& actor) {
    if (!input_is_terminal()) {
        throw UsageError(
            _("the entrance desk needs a terminal; for scripts use 'exam-journal enter' and "
              "'exam-journal exit'"));
    }
    std::cout << _f("Entrance desk of exam point {}, exam {}. Scan or type a document number; an "
                    "empty line ends.",
                    site.ppe_code, exam.value_or(_("(none today)")))
              << '\n';
    while (true) {
        const auto document = read_secret_line(_("Document: "));
        if (!document || document->empty()) {
            break;
        }
        try {
            if (const auto inside = inside_by_document(journal, *document)) {
                const std::string question =
                    _f("{} ({}) is inside since {}. Enter: record EXIT, other key: skip ",
                       inside->name, inside->role, site.timezone.format_for_display(inside->since));
                if (confirmed(question)) {
                    const JournalEntry entry = record_exit(
                        journal, ExitRequest{.entry = inside->enter_seq, .actor = actor});
                    std::cout << _f("EXIT recorded: {} (entry {})", inside->name, entry.seq)
                              << '\n';
                } else {
                    std::cout << _("skipped") << '\n';
                }
                continue;
            }
            const auto person = find_on_roster(journal, *document, exam);
            if (!person) {
                const JournalEntry entry = deny_unknown_document(journal, *document, exam, actor);
                std::cout << _f("NOT ON THE STAFF LIST: refused and recorded (entry {})", entry.seq)
                          << '\n';
                continue;
            }
            if (confirmed(
                    _f("{} ({}). Enter: ADMIT, other key: skip ", person->name, person->role))) {
                const AdmissionResult result = admit(journal, site,
                                                     AdmissionRequest{.name = person->name,
                                                                      .role = person->role,
                                                                      .exam = exam,
                                                                      .document = *document,
                                                                      .actor = actor});
                std::cout << _f("ADMITTED: {} (entry {})", person->name, result.entry.seq) << '\n';
            } else {
                std::cout << _("skipped") << '\n';
            }
        } catch (const InputError& e) {
            std::cout << _f("not recorded: {}", e.what()) << '\n';
        }
    }
    journal.close();
    return 0;
}

}  // namespace exam::tool
