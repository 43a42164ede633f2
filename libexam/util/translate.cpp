#include <cctype>
#include <clocale>
#include <string_view>

#include <libintl.h>
#include <locale.h>

#include <exam/util/translate.hpp>

namespace exam {

void init_translation(const char* locale_directory) {
    std::setlocale(LC_MESSAGES, "");
    std::setlocale(LC_CTYPE, "");
    bindtextdomain(k_text_domain, locale_directory);
    bind_textdomain_codeset(k_text_domain, "UTF-8");
}

std::string language_tag() {
    // TRANSLATORS: not a sentence: your language's tag (BCP 47) after "language-tag:", as
    // in "language-tag:ru"; printable pages declare it.
    const std::string_view setting{_("language-tag:en")};
    constexpr std::string_view prefix{"language-tag:"};
    return setting.starts_with(prefix) && setting.size() > prefix.size()
               ? std::string{setting.substr(prefix.size())}
               : std::string{"en"};
}

namespace {

bool decimal_comma() {
    // TRANSLATORS: not a sentence: the decimal mark people of your language write. Keep
    // "decimal-mark:." for 1.5, or write "decimal-mark:," for 1,5.
    return std::string_view{_("decimal-mark:.")} == "decimal-mark:,";
}

class PeoplesNumbers : public std::numpunct<char> {
public:
    explicit PeoplesNumbers(char mark) : m_mark(mark) {}

protected:
    char do_decimal_point() const override { return m_mark; }
    std::string do_grouping() const override { return {}; }  // 12345, never 12 345

private:
    char m_mark;
};

}  // namespace

const std::locale& numbers_for_people() {
    static const std::locale point{std::locale::classic(), new PeoplesNumbers{'.'}};
    static const std::locale comma{std::locale::classic(), new PeoplesNumbers{','}};
    return decimal_comma() ? comma : point;
}

bool wants_numbers_for_people(std::string_view format) {
    for (std::size_t at = format.find('L'); at != std::string_view::npos;
         at = format.find('L', at + 1)) {
        // "{:.1Lf}", "{:Lg}": an L among a field's spec, just before its type or its end.
        const std::size_t close = format.find('}', at);
        const std::size_t open = format.rfind('{', at);
        if (close != std::string_view::npos && open != std::string_view::npos &&
            format.find(':', open) < at && close - at <= 2) {
            return true;
        }
    }
    return false;
}

std::string with_decimal_mark(std::string number) {
    if (!decimal_comma()) {
        return number;
    }
    // Only a point between two digits is a decimal mark ("v1.2" of a name would be too, but
    // only numbers are given here).
    for (std::size_t i = 1; i + 1 < number.size(); ++i) {
        if (number[i] == '.' && std::isdigit(static_cast<unsigned char>(number[i - 1])) != 0 &&
            std::isdigit(static_cast<unsigned char>(number[i + 1])) != 0) {
            number[i] = ',';
        }
    }
    return number;
}

namespace {

thread_local int t_in_the_records_language = 0;

locale_t records_locale() {
    // Made once, never freed: the threads that use it may outlive any static's destruction.
    static const locale_t c_locale = ::newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
    return c_locale;
}

}  // namespace

InTheRecordsLanguage::InTheRecordsLanguage() : m_previous(::uselocale(records_locale())) {
    ++t_in_the_records_language;
}

InTheRecordsLanguage::~InTheRecordsLanguage() {
    --t_in_the_records_language;
    ::uselocale(static_cast<locale_t>(m_previous));
}

bool InTheRecordsLanguage::active() {
    return t_in_the_records_language > 0;
}

const char* translate(const char* english) {
    // dgettext, not gettext: the library's texts stay in its own domain whatever a host
    // program sets as its default.
    return dgettext(k_text_domain, english);
}

const char* translate_plural(const char* singular, const char* plural, unsigned long count) {
    return dngettext(k_text_domain, singular, plural, count);
}

}  // namespace exam
