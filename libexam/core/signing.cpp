#include <array>
#include <memory>
#include <vector>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <exam/core/signing.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

constexpr std::uint8_t k_algorithm_ed25519 = 0x01;
constexpr std::string_view k_signature_prefix = "\u2014 ";  // em dash and a space

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::uint32_t compute_key_id(std::string_view name,
                             const std::array<std::uint8_t, 32>& public_key) {
    Sha256 hash;
    hash.update(name);
    hash.update("\n");
    const std::uint8_t algorithm = k_algorithm_ed25519;
    hash.update(std::as_bytes(std::span{&algorithm, 1}));
    hash.update(std::as_bytes(std::span{public_key}));
    const Sha256Digest digest = hash.finish();
    return (std::uint32_t{digest[0]} << 24) | (std::uint32_t{digest[1]} << 16) |
           (std::uint32_t{digest[2]} << 8) | std::uint32_t{digest[3]};
}

std::vector<std::uint8_t> with_algorithm(const std::array<std::uint8_t, 32>& key) {
    std::vector<std::uint8_t> bytes{k_algorithm_ed25519};
    bytes.insert(bytes.end(), key.begin(), key.end());
    return bytes;
}

// Splits at the first `max_parts - 1` separators: the last part (base64) may hold '+' itself.
std::vector<std::string_view> split(std::string_view text, char separator, std::size_t max_parts) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || (text[i] == separator && parts.size() + 1 < max_parts)) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    return parts;
}

// The 32-byte key after the algorithm byte, or nullopt.
std::optional<std::array<std::uint8_t, 32>> decode_key(std::string_view text) {
    const auto bytes = base64_decode(text);
    if (!bytes || bytes->size() != 33 || (*bytes)[0] != k_algorithm_ed25519) {
        return std::nullopt;
    }
    std::array<std::uint8_t, 32> key{};
    std::copy(bytes->begin() + 1, bytes->end(), key.begin());
    return key;
}

std::optional<std::uint32_t> parse_key_id(std::string_view text) {
    const auto bytes = hex_decode(text);
    if (!bytes || bytes->size() != 4 || text.size() != 8) {
        return std::nullopt;
    }
    return (std::uint32_t{(*bytes)[0]} << 24) | (std::uint32_t{(*bytes)[1]} << 16) |
           (std::uint32_t{(*bytes)[2]} << 8) | std::uint32_t{(*bytes)[3]};
}

}  // namespace

bool is_valid_key_name(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7F || c == '+') {
            return false;
        }
    }
    return true;
}

VerifierKey::VerifierKey(std::string name, std::array<std::uint8_t, 32> public_key)
    : m_name(std::move(name)),
      m_public_key(public_key),
      m_key_id(compute_key_id(m_name, m_public_key)) {}

std::optional<VerifierKey> VerifierKey::parse(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.remove_suffix(1);
    }
    const auto parts = split(text, '+', 3);
    if (parts.size() != 3 || !is_valid_key_name(parts[0])) {
        return std::nullopt;
    }
    const auto id = parse_key_id(parts[1]);
    const auto key = decode_key(parts[2]);
    if (!id || !key) {
        return std::nullopt;
    }
    VerifierKey verifier{std::string{parts[0]}, *key};
    if (verifier.m_key_id != *id) {
        return std::nullopt;
    }
    return verifier;
}

std::string VerifierKey::to_text() const {
    return fmt::format("{}+{:08x}+{}", m_name, m_key_id,
                       base64_encode(with_algorithm(m_public_key)));
}

std::string VerifierKey::fingerprint() const {
    Sha256 hash;
    hash.update(std::as_bytes(std::span{m_public_key}));
    const Sha256Digest digest = hash.finish();
    std::string text;
    for (std::size_t i = 0; i < 16; i += 2) {
        text += fmt::format("{}{:02x}{:02x}", i == 0 ? "" : "-", digest[i], digest[i + 1]);
    }
    return text;
}

bool VerifierKey::verify(std::string_view message, std::span<const std::uint8_t> signature) const {
    if (signature.size() != 64) {
        return false;
    }
    PkeyPtr key{EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, m_public_key.data(),
                                            m_public_key.size()),
                EVP_PKEY_free};
    MdCtxPtr context{EVP_MD_CTX_new(), EVP_MD_CTX_free};
    if (!key || !context ||
        EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
        return false;
    }
    return EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
}

SigningKey::SigningKey(std::string name, std::array<std::uint8_t, 32> seed)
    : m_name(std::move(name)), m_seed(seed) {
    PkeyPtr key{
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, m_seed.data(), m_seed.size()),
        EVP_PKEY_free};
    std::size_t length = m_public_key.size();
    if (!key || EVP_PKEY_get_raw_public_key(key.get(), m_public_key.data(), &length) != 1 ||
        length != m_public_key.size()) {
        throw InternalError("OpenSSL could not derive an Ed25519 public key");
    }
}

SigningKey SigningKey::generate(std::string name) {
    if (!is_valid_key_name(name)) {
        throw InternalError("invalid key name \"" + name + "\"");
    }
    std::array<std::uint8_t, 32> seed{};
    if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) != 1) {
        throw InternalError("OpenSSL's random generator failed");
    }
    return SigningKey{std::move(name), seed};
}

SigningKey SigningKey::parse(std::string_view text, std::string_view source) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    const auto parts = split(text, '+', 5);
    const auto fail = [&]() -> SigningKey {
        throw ConfigError(
            _f("\"{}\" is not an examkit signing key (expected one line "
               "\"PRIVATE+KEY+name+keyid+base64\"); restore it from your backup of "
               "the keys folder",
               source));
    };
    if (parts.size() != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" ||
        !is_valid_key_name(parts[2])) {
        return fail();
    }
    const auto id = parse_key_id(parts[3]);
    const auto seed = decode_key(parts[4]);
    if (!id || !seed) {
        return fail();
    }
    SigningKey key{std::string{parts[2]}, *seed};
    if (key.verifier().key_id() != *id) {
        return fail();
    }
    return key;
}

std::string SigningKey::to_text() const {
    return fmt::format("PRIVATE+KEY+{}+{:08x}+{}", m_name, verifier().key_id(),
                       base64_encode(with_algorithm(m_seed)));
}

VerifierKey SigningKey::verifier() const {
    return VerifierKey{m_name, m_public_key};
}

std::array<std::uint8_t, 64> SigningKey::sign(std::string_view message) const {
    PkeyPtr key{
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, m_seed.data(), m_seed.size()),
        EVP_PKEY_free};
    MdCtxPtr context{EVP_MD_CTX_new(), EVP_MD_CTX_free};
    std::array<std::uint8_t, 64> signature{};
    std::size_t length = signature.size();
    if (!key || !context ||
        EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(context.get(), signature.data(), &length,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1 ||
        length != signature.size()) {
        throw InternalError("OpenSSL could not make an Ed25519 signature");
    }
    return signature;
}

std::string sign_note(std::string_view text, const SigningKey& key) {
    if (text.empty() || text.back() != '\n') {
        throw InternalError("a note's text must end with a newline");
    }
    const auto signature = key.sign(text);
    const std::uint32_t id = key.verifier().key_id();
    std::vector<std::uint8_t> blob{
        static_cast<std::uint8_t>(id >> 24), static_cast<std::uint8_t>(id >> 16),
        static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)};
    blob.insert(blob.end(), signature.begin(), signature.end());
    return fmt::format("{}\n{}{} {}\n", text, k_signature_prefix, key.verifier().name(),
                       base64_encode(blob));
}

std::optional<std::string> open_note(std::string_view note, const VerifierKey& key) {
    const std::size_t split_at = note.rfind("\n\n");
    if (split_at == std::string_view::npos || note.empty() || note.back() != '\n') {
        return std::nullopt;
    }
    const std::string_view text = note.substr(0, split_at + 1);
    std::string_view signatures = note.substr(split_at + 2);
    while (!signatures.empty()) {
        const std::size_t end = signatures.find('\n');
        const std::string_view line = signatures.substr(0, end);
        signatures.remove_prefix(end + 1);
        if (line.substr(0, k_signature_prefix.size()) != k_signature_prefix) {
            return std::nullopt;
        }
        const std::string_view rest = line.substr(k_signature_prefix.size());
        const std::size_t space = rest.find(' ');
        if (space == std::string_view::npos || rest.substr(0, space) != key.name()) {
            continue;
        }
        const auto blob = base64_decode(rest.substr(space + 1));
        if (!blob || blob->size() != 68) {
            continue;
        }
        const std::uint32_t id = (std::uint32_t{(*blob)[0]} << 24) |
                                 (std::uint32_t{(*blob)[1]} << 16) |
                                 (std::uint32_t{(*blob)[2]} << 8) | std::uint32_t{(*blob)[3]};
        if (id == key.key_id() && key.verify(text, std::span{*blob}.subspan(4))) {
            return std::string{text};
        }
    }
    return std::nullopt;
}

namespace {

// The dashes a copy may carry where the note has its em dash: PDF viewers and word processors
// turn it into a hyphen, two hyphens or an en dash.
constexpr std::array<std::string_view, 4> k_copied_dashes{"\u2014 ", "\u2013 ", "-- ", "- "};

std::optional<std::string_view> after_dash(std::string_view line) {
    for (const std::string_view dash : k_copied_dashes) {
        if (line.starts_with(dash)) {
            return line.substr(dash.size());
        }
    }
    return std::nullopt;
}

std::string_view trimmed(std::string_view line) {
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!line.empty() && blank(line.front())) {
        line.remove_prefix(1);
    }
    while (!line.empty() && blank(line.back())) {
        line.remove_suffix(1);
    }
    return line;
}

}  // namespace

std::string note_from_copy(std::string_view copied) {
    std::string plain;
    for (std::size_t i = 0; i < copied.size(); ++i) {
        if (copied[i] == '\r' || copied[i] == '\f') {
            if (copied[i] == '\r' && i + 1 < copied.size() && copied[i + 1] == '\n') {
                continue;  // CR LF: the LF ends the line
            }
            plain += '\n';
        } else if (copied.substr(i, 2) == "\xC2\xA0") {  // a no-break space
            plain += ' ';
            ++i;
        } else {
            plain += copied[i];
        }
    }
    std::vector<std::string> text;
    std::vector<std::string> signatures;
    for (const std::string_view raw : split(plain, '\n', plain.size() + 1)) {
        const std::string_view line = trimmed(raw);
        if (const auto signature = after_dash(line)) {
            signatures.push_back(std::string{k_signature_prefix} + std::string{*signature});
        } else if (!signatures.empty() && !line.empty()) {
            // A signature line wrapped at the page's edge: base64 has no spaces, so the
            // pieces join without one, unless the wrap fell between the name and the base64.
            std::string& last = signatures.back();
            const bool name_only = last.find(' ', k_signature_prefix.size()) == std::string::npos;
            last += (name_only ? " " : "") + std::string{line};
        } else if (signatures.empty()) {
            text.emplace_back(line);
        }
    }
    while (!text.empty() && text.front().empty()) {
        text.erase(text.begin());
    }
    while (!text.empty() && text.back().empty()) {
        text.pop_back();
    }
    std::string note;
    for (const std::string& line : text) {
        note += line + '\n';
    }
    if (!signatures.empty()) {
        note += '\n';
        for (const std::string& line : signatures) {
            note += line + '\n';
        }
    }
    return note;
}

bool note_has_signature(std::string_view note) {
    return note.find(std::string{"\n\n"} + std::string{k_signature_prefix}) !=
           std::string_view::npos;
}

}  // namespace exam
