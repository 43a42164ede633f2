// The exam point's Ed25519 keys and signed notes in the C2SP signed-note format (as Go's
// sumdb/note): verifier keys are written "name+keyid+base64(0x01||public key)", signer keys
// "PRIVATE+KEY+name+keyid+base64(0x01||seed)", and a note is text followed by a blank line
// and signature lines "— name base64(keyid||signature)". Every tool prints and accepts public
// keys in that one form.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

class EXAM_EXPORT VerifierKey {
public:
    // nullopt when the text is not a well-formed Ed25519 verifier key.
    static std::optional<VerifierKey> parse(std::string_view text);

    [[nodiscard]] const std::string& name() const { return m_name; }
    [[nodiscard]] std::uint32_t key_id() const { return m_key_id; }
    [[nodiscard]] std::string to_text() const;
    // What people read aloud and compare: the first 16 bytes of SHA-256 of the 32 public key
    // bytes, as 8 groups of 4 lower-case hex digits joined by '-' ("3f9c-0b7a-…").
    // docs/journal-format.md says why this form.
    [[nodiscard]] std::string fingerprint() const;
    [[nodiscard]] bool verify(std::string_view message,
                              std::span<const std::uint8_t> signature) const;

private:
    friend class SigningKey;
    VerifierKey(std::string name, std::array<std::uint8_t, 32> public_key);
    std::string m_name;
    std::array<std::uint8_t, 32> m_public_key{};
    std::uint32_t m_key_id = 0;
};

class EXAM_EXPORT SigningKey {
public:
    // A fresh key from OpenSSL's random generator. The name must hold no spaces or '+'.
    static SigningKey generate(std::string name);
    // Throws ConfigError (naming `source`) when the text is not a signer key.
    static SigningKey parse(std::string_view text, std::string_view source);

    [[nodiscard]] std::string to_text() const;
    [[nodiscard]] VerifierKey verifier() const;
    [[nodiscard]] std::array<std::uint8_t, 64> sign(std::string_view message) const;

private:
    SigningKey(std::string name, std::array<std::uint8_t, 32> seed);
    std::string m_name;
    std::array<std::uint8_t, 32> m_seed{};
    std::array<std::uint8_t, 32> m_public_key{};
};

// Whether a key or origin name is allowed: non-empty, printable, no spaces and no '+'.
EXAM_EXPORT bool is_valid_key_name(std::string_view name);

// Appends the blank line and this key's signature line to `text` (which must end in '\n').
EXAM_EXPORT std::string sign_note(std::string_view text, const SigningKey& key);

// The note's text when it carries a valid signature by `key`; nullopt otherwise (including
// a malformed note).
EXAM_EXPORT std::optional<std::string> open_note(std::string_view note, const VerifierKey& key);

// A signed note as a person copied it from paper or a PDF, laid out again: CR LF or CR line
// ends, spaces at line ends and starts, blank lines around it, a missing blank line before the
// signatures, a signature line wrapped at the page's edge, and an em dash that became "-",
// "--" or "–" are put right. Only the layout is repaired; the signatures must still hold.
// Without a signature line, the text's lines alone (then no key opens it).
EXAM_EXPORT std::string note_from_copy(std::string_view copied);
// Whether a note (as laid out by note_from_copy) has at least one signature line.
EXAM_EXPORT bool note_has_signature(std::string_view note);

}  // namespace exam
