#include <algorithm>
#include <array>

#include <exam/journal/desk_keys.hpp>

namespace exam {
namespace {

using Key = std::array<std::string_view, 4>;  // Latin and Russian layout, lower and upper case

constexpr Key k_yes{"y", "Y", "н", "Н"};
constexpr Key k_no{"n", "N", "т", "Т"};
constexpr Key k_quit{"q", "Q", "й", "Й"};
constexpr Key k_admit_anyway{"a", "A", "ф", "Ф"};

std::string_view trimmed(std::string_view line) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return line.substr(first, line.find_last_not_of(" \t") - first + 1);
}

bool is(const Key& key, std::string_view line) {
    return std::find(key.begin(), key.end(), line) != key.end();
}

// The desk refuses numbers with fewer than four letters and digits, so no key is a number.
bool looks_like_document(std::string_view line) {
    const auto alphanumeric = std::count_if(line.begin(), line.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
    return alphanumeric >= 4;
}

}  // namespace

DeskAnswer desk_answer(std::string_view line) {
    const std::string_view typed = trimmed(line);
    if (typed.empty()) {
        return DeskAnswer::nothing;
    }
    if (is(k_yes, typed)) {
        return DeskAnswer::yes;
    }
    if (is(k_no, typed)) {
        return DeskAnswer::no;
    }
    return looks_like_document(typed) ? DeskAnswer::scan : DeskAnswer::other;
}

DeskCommand desk_command(std::string_view line) {
    const std::string_view typed = trimmed(line);
    if (typed.empty()) {
        return DeskCommand::nothing;
    }
    if (is(k_quit, typed)) {
        return DeskCommand::quit;
    }
    if (is(k_admit_anyway, typed)) {
        return DeskCommand::admit_anyway;
    }
    return DeskCommand::document;
}

}  // namespace exam
