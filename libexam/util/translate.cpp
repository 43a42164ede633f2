#include <clocale>

#include <libintl.h>

#include <exam/util/translate.hpp>

namespace exam {

void init_translation(const char* locale_directory) {
    std::setlocale(LC_MESSAGES, "");
    std::setlocale(LC_CTYPE, "");
    bindtextdomain(k_text_domain, locale_directory);
    bind_textdomain_codeset(k_text_domain, "UTF-8");
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
