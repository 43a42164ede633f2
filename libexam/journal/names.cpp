#include <map>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <exam/core/roles.hpp>
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

// Case folded, "ё" read as "е" (after folding "Ё" is "ё").
void fold_for_matching(icu::UnicodeString& key) {
    key.foldCase();
    key.findAndReplace(icu::UnicodeString(static_cast<UChar>(0x0451)),
                       icu::UnicodeString(static_cast<UChar>(0x0435)));
}

// A role as typed: punctuation read as a space, so "экзаменатор - собеседник",
// "организатор-room" and "сотрудник, осуществляющий ..." match however they were written.
std::string role_key(std::string_view text) {
    const icu::UnicodeString normalised = normalise(text, "role");
    icu::UnicodeString spaced;
    for (int32_t i = 0; i < normalised.length();) {
        const UChar32 c = normalised.char32At(i);
        i += U16_LENGTH(c);
        spaced.append(u_ispunct(c) ? static_cast<UChar32>(' ') : c);
    }
    icu::UnicodeString key = collapse_spaces(spaced);
    fold_for_matching(key);
    return to_utf8(key);
}

}  // namespace

std::string clean_name(std::string_view name) {
    return to_utf8(collapse_spaces(normalise(name, "name")));
}

std::string name_key(std::string_view name) {
    icu::UnicodeString key = collapse_spaces(normalise(name, "name"));
    // Both "ё" and "е" are read as "е", as Russian writing often does; the decomposed form
    // (е + combining diaeresis) was composed by NFC above.
    fold_for_matching(key);
    return to_utf8(key);
}

std::optional<std::string> role_from_text(std::string_view text) {
    // Built once: every role id and every PPE-07 title, by its key.
    static const std::map<std::string, std::string_view> k_roles_by_key = [] {
        std::map<std::string, std::string_view> roles;
        for (const std::string_view role : known_roles()) {
            roles.emplace(role_key(role), role);
        }
        for (const RoleAlias& alias : role_aliases()) {
            roles.emplace(role_key(alias.title), alias.role);
        }
        return roles;
    }();
    const auto found = k_roles_by_key.find(role_key(text));
    if (found == k_roles_by_key.end()) {
        return std::nullopt;
    }
    return std::string{found->second};
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
