// Every user-facing text goes through gettext with its English text as the key, so that a
// Russian translation is a .po file, not a code change. `_("text")` translates a plain text;
// `_f("text {}", args...)` translates a format string, then formats it with fmt;
// `_n(singular, plural, count)` picks the plural form; `_rf("text {}", args...)` gives a text
// both as recorded (English) and as shown (translated), see recorded_text.hpp.
// xgettext reads them all (po/CMakeLists.txt: the `pot` target).
//
// Texts that go only into a record (a journal entry's note or reason) are NOT translated: they
// are built with plain fmt::format, so that a signed entry is the same in every language and a
// documented note (docs/journal-format.md) parses whatever the locale. Code never branches on
// a translated text either: it gets a typed reason.
#pragma once

#include <locale>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <exam/export.hpp>
#include <exam/util/recorded_text.hpp>

namespace exam {

// The message catalogue's domain: examkit.mo in <localedir>/<lang>/LC_MESSAGES.
inline constexpr const char* k_text_domain = "examkit";

// Takes the user's language from the environment (LC_ALL, LC_MESSAGES, LANG) for messages and
// character types only, so that numbers and times are never written with a locale's comma.
EXAM_EXPORT void init_translation(const char* locale_directory);

EXAM_EXPORT const char* translate(const char* english);

// The singular or plural form for `count`, in the user's language (Russian has three).
EXAM_EXPORT const char* translate_plural(const char* singular, const char* plural,
                                         unsigned long count);

// The user's language as a page declares it (<html lang="…">): "en", or "ru" under the
// Russian catalogue, so that a browser hyphenates and a screen reader speaks it rightly.
EXAM_EXPORT std::string language_tag();

// A number written for a person ("1.5", "77.8 GB"), with the decimal mark of the user's
// language ("1,5" in Russian: its catalogue says which). Never for a file, a record or JSON.
EXAM_EXPORT std::string with_decimal_mark(std::string number);

// The numbers of the user's language for fmt's `L` fields: its decimal mark, no grouping. A
// translation writes {:.1Lf} where the English has {:.1f} (tests/po/catalogue_test.sh allows
// just that), so that a Russian message reads "1,5"; an English text never needs it.
EXAM_EXPORT const std::locale& numbers_for_people();

// Whether a format asks for its numbers in the user's way (a field ending "L}", "Lf}"…); only
// then is the locale given to fmt (formatting with one costs more, under ASan a lot more).
EXAM_EXPORT bool wants_numbers_for_people(std::string_view format);

template <typename... Args>
std::string translate_format(const char* english, Args&&... args) {
    const char* format = translate(english);
    return wants_numbers_for_people(format)
               ? fmt::vformat(numbers_for_people(), format, fmt::make_format_args(args...))
               : fmt::vformat(format, fmt::make_format_args(args...));
}

// A text translated, then formatted when it has fields.
template <typename... Args>
std::string translate_text(const char* english, const Args&... args) {
    if constexpr (sizeof...(Args) == 0) {
        return translate(english);
    } else {
        return translate_format(english, args...);
    }
}

// While one lives, this thread alone is in the C locale: every _() gives its English text, the
// system's error words (strerror, std::error_code) are English, and spans and numbers take
// their English forms. Other threads keep the user's language.
class EXAM_EXPORT InTheRecordsLanguage {
public:
    InTheRecordsLanguage();
    ~InTheRecordsLanguage();
    InTheRecordsLanguage(const InTheRecordsLanguage&) = delete;
    InTheRecordsLanguage& operator=(const InTheRecordsLanguage&) = delete;

    // Whether this thread is making a text in the records' language just now.
    [[nodiscard]] static bool active();

private:
    void* m_previous;  // the thread's locale before (a locale_t)
};

// The text `make` gives, made twice: in the records' language, then in the user's. Whatever it
// calls in between is English the first time (a field's own words: an error's text, a span).
template <typename Make>
RecordedText recorded_and_shown(const Make& make) {
    std::string recorded;
    {
        const InTheRecordsLanguage english;
        recorded = make();
    }
    return {std::move(recorded), make()};
}

}  // namespace exam

// A RecordedText as a field of a text: its recorded form while the text is made in the records'
// language (inside _rf), else the shown one. So "{}" of a RecordedText nests in _rf and _f; a
// record's own plain fmt::format (a journal note) must name `.recorded`, or it gets the shown.
template <>
struct fmt::formatter<exam::RecordedText> : fmt::formatter<std::string_view> {
    template <typename Context>
    auto format(const exam::RecordedText& text, Context& context) const {
        return fmt::formatter<std::string_view>::format(
            exam::InTheRecordsLanguage::active() ? text.recorded : text.shown, context);
    }
};

#define _(english) ::exam::translate(english)
#define _f(english, ...) ::exam::translate_format(english, __VA_ARGS__)
// `_n("{} room", "{} rooms", n)` picks the form; the result is a format string for fmt.
#define _n(singular, plural, count) ::exam::translate_plural(singular, plural, count)
// `_rf("text {}", args...)`: the RecordedText of a text; its fields are evaluated twice, once in
// each language, so pass values (an errno saved beforehand), never calls with side effects.
#define _rf(english, ...)       \
    ::exam::recorded_and_shown( \
        [&] { return ::exam::translate_text(english __VA_OPT__(, ) __VA_ARGS__); })
