// Text helpers that know nothing of exams: display width of UTF-8 on a terminal, padding,
// and "did you mean" suggestions.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

// Whether the text is well-formed UTF-8: no stray or truncated bytes, no overlong forms, no
// surrogates, nothing past U+10FFFF.
EXAM_EXPORT bool is_valid_utf8(std::string_view text);

// The text's characters, one per code point; U+FFFD for each byte that does not decode.
EXAM_EXPORT std::u32string utf8_code_points(std::string_view text);

// Columns the text takes on a terminal: one per Cyrillic or Latin letter (not per byte),
// none for combining marks and zero-width characters, two for East Asian wide characters.
// Invalid UTF-8 bytes count one column each, as terminals show a replacement character.
EXAM_EXPORT std::size_t display_width(std::string_view utf8);

// Pads with spaces on the right (or left) up to `width` display columns; never truncates.
EXAM_EXPORT std::string pad_right(std::string_view utf8, std::size_t width);
EXAM_EXPORT std::string pad_left(std::string_view utf8, std::size_t width);

// Text made safe inside HTML or XML, in content and in quoted attributes: & < > " ' are
// escaped, and control characters XML forbids (all but tab and line breaks) are dropped.
EXAM_EXPORT std::string escape_markup(std::string_view text);

// Text from outside (a name from a staff list, a camera's reply, a script's output) made safe to
// print on a terminal: control characters (C0 but tab, DEL, C1), bidirectional overrides and
// isolates, and invalid UTF-8 bytes are shown as visible escapes (`\e`, `\x07`, `\u202e`,
// `\xff`) instead of reaching the terminal raw, where `\e[2J` would clear the screen and U+202E
// would reverse the text. With `keep_line_breaks`, '\n' passes (multi-line output); otherwise
// it is shown as `\n`. Every tool prints outside text through this one function.
EXAM_EXPORT std::string for_terminal(std::string_view text, bool keep_line_breaks = false);
// Whether for_terminal would change the text: the test for refusing such a name at import.
EXAM_EXPORT bool has_unprintable_characters(std::string_view text);

// ASCII only, for protocol text (header names, codec names); other bytes pass unchanged.
EXAM_EXPORT std::string ascii_lower(std::string_view text);
EXAM_EXPORT std::string ascii_upper(std::string_view text);
// Without the spaces, tabs and line breaks at either end.
EXAM_EXPORT std::string_view trim_spaces(std::string_view text);

// An address as it may be shown or stored: a password in it ("rtsp://user:secret@host/") is
// replaced by "***"; anything else is returned as it is.
EXAM_EXPORT std::string without_password(std::string_view address);

// Optimal string alignment distance: edits, with a swap of neighbours counting as one.
EXAM_EXPORT std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a plausible typo.
EXAM_EXPORT std::optional<std::string> closest_match(std::string_view word,
                                                     std::span<const std::string_view> candidates);

// The end of a message about a name that is not known, one rule for every lookup (keys, values,
// check ids, roles, options): `; did you mean "NAME"?` when a candidate is a plausible typo of
// `word`; otherwise `; ` + `choices_label` + `: a, b, c` listing every candidate, such as
// `; the roles are: head, ...`; nothing when there is no close candidate and no label.
EXAM_EXPORT std::string did_you_mean(std::string_view word,
                                     std::span<const std::string_view> candidates,
                                     std::string_view choices_label = {});
EXAM_EXPORT std::string did_you_mean(std::string_view word, std::span<const std::string> candidates,
                                     std::string_view choices_label = {});

}  // namespace exam
