// What every fuzz target shares: a refusal is a typed exam::Error (the tools turn it into a
// message and an exit code); any other exception escaping a parser is a defect, so it is left
// to escape and libFuzzer reports it as a crash, with the input that caused it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <exam/util/error.hpp>

namespace exam::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Runs `parse`; an exam::Error is the parser refusing the input, which is its job, unless it
// is an internal error (exit 70): bad input must never look like a bug of ours.
template <typename Parse>
void refusals_are_typed(Parse&& parse) {
    try {
        parse();
    } catch (const exam::Error& e) {
        if (e.exit_code() == exam::ExitCode::internal) {
            std::fprintf(stderr, "fuzz: an internal error for bad input: %s\n", e.what());
            std::abort();
        }
    }
}

// Splits the input into parts at a marker line, so that one input holds several files or
// several replies and the mutator can change each on its own (seeds are written the same way).
class Parts {
public:
    Parts(const std::uint8_t* data, std::size_t size) : m_rest(text_of(data, size)) {}
    // The next part, or false when none is left.
    bool next(std::string_view& part) {
        if (m_done) {
            return false;
        }
        const std::size_t at = m_rest.find(k_marker);
        if (at == std::string_view::npos) {
            part = m_rest;
            m_done = true;
            return true;
        }
        part = m_rest.substr(0, at);
        m_rest.remove_prefix(at + k_marker.size());
        return true;
    }
    [[nodiscard]] std::string_view rest() const { return m_done ? std::string_view{} : m_rest; }

    static constexpr std::string_view k_marker = "\n%%\n";

private:
    std::string_view m_rest;
    bool m_done = false;
};

}  // namespace exam::fuzz
