// A text that goes into a record and before a person at once (a refusal's reason, why a camera
// gave no picture): the record keeps it in English, the same whatever the locale, so that a
// signed journal entry, the recordings' index and an export's manifest never depend on the
// language of the shell that wrote them; the person reads it in their own. `_rf` makes one
// (translate.hpp).
#pragma once

#include <string>
#include <utility>

namespace exam {

struct RecordedText {
    RecordedText() = default;
    // Both forms, always: a lone string is not taken for one of them by mistake.
    RecordedText(std::string recorded_form, std::string shown_form)
        : recorded(std::move(recorded_form)), shown(std::move(shown_form)) {}

    std::string recorded;  // English, the same whatever the locale
    std::string shown;     // in the user's language

    friend bool operator==(const RecordedText&, const RecordedText&) = default;
};

}  // namespace exam
