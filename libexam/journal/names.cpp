#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <exam/journal/entry.hpp>
#include <exam/journal/names.hpp>
#include <exam/util/error.hpp>

namespace exam {
namespace {

icu::UnicodeString normalise(std::string_view text, const char* what) {
    require_utf8(text, what);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) {
        throw InternalError("ICU has no NFC normaliser");
    }
    icu::UnicodeString result = nfc->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                                   text.data(), static_cast<int32_t>(text.size()))),
                                               status);
    if (U_FAILURE(status)) {
        throw InternalError("ICU failed to normalise a name");
    }
    return result;
}

icu::UnicodeString collapse_spaces(const icu::UnicodeString& text) {
    icu::UnicodeString out;
    bool pending_space = false;
    for (int32_t i = 0; i < text.length();) {
        const UChar32 c = text.char32At(i);
        i += U16_LENGTH(c);
        if (u_isUWhiteSpace(c)) {
            pending_space = !out.isEmpty();
            continue;
        }
        if (pending_space) {
            out.append(static_cast<UChar>(' '));
            pending_space = false;
        }
        out.append(c);
    }
    return out;
}

std::string to_utf8(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

}  // namespace

std::string clean_name(std::string_view name) {
    return to_utf8(collapse_spaces(normalise(name, "name")));
}

std::string name_key(std::string_view name) {
    icu::UnicodeString key = collapse_spaces(normalise(name, "name"));
    key.foldCase();
    // After folding, "Ё" is "ё"; both are read as "е", as Russian writing often does.
    key.findAndReplace(icu::UnicodeString(static_cast<UChar>(0x0451)),
                       icu::UnicodeString(static_cast<UChar>(0x0435)));
    // The decomposed form (е + combining diaeresis) was composed by NFC above.
    return to_utf8(key);
}

std::string normalise_document_number(std::string_view number) {
    icu::UnicodeString text = normalise(number, "document number");
    text.toUpper();
    icu::UnicodeString kept;
    for (int32_t i = 0; i < text.length();) {
        const UChar32 c = text.char32At(i);
        i += U16_LENGTH(c);
        if (u_isalnum(c)) {
            kept.append(c);
        }
    }
    return to_utf8(kept);
}

}  // namespace exam
