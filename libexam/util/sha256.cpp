#include <fmt/format.h>

#include <exam/util/error.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/translate.hpp>

// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, but EVP takes locks
// and reference counts on every digest, which cost more than hashing a journal leaf itself
// (docs/PERFORMANCE.md). The low-level calls run the same assembly (SHA-NI where present).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include <openssl/sha.h>

namespace exam {

struct Sha256::Context {
    SHA256_CTX state{};
    bool started = false;
    void start() {
        SHA256_Init(&state);
        started = true;
    }
};

Sha256::Sha256() : m_context(std::make_unique<Context>()) {}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::span<const std::byte> data) {
    if (!m_context->started) {
        m_context->start();
    }
    SHA256_Update(&m_context->state, data.data(), data.size());
}

void Sha256::update(std::string_view data) {
    update(std::as_bytes(std::span{data.data(), data.size()}));
}

Sha256Digest Sha256::finish() {
    if (!m_context->started) {
        m_context->start();
    }
    Sha256Digest digest{};
    SHA256_Final(digest.data(), &m_context->state);
    m_context->started = false;  // the next update starts afresh
    return digest;
}

Sha256Digest sha256(std::string_view data) {
    Sha256 hash;
    hash.update(data);
    return hash.finish();
}

Sha256Digest sha256_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw StorageError(
            _f("cannot open \"{}\" to hash it: {}", file.string(), std::strerror(errno)));
    }
    Sha256 hash;
    std::vector<char> block(1 << 20);
    while (in) {
        in.read(block.data(), static_cast<std::streamsize>(block.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        hash.update(std::string_view{block.data(), got});
    }
    if (in.bad()) {
        throw StorageError(_f("reading \"{}\" failed while hashing it", file.string()));
    }
    return hash.finish();
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (const std::uint8_t byte : bytes) {
        text += k_digits[byte >> 4];
        text += k_digits[byte & 0x0f];
    }
    return text;
}

}  // namespace exam
