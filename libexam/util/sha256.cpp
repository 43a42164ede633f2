#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include <fmt/format.h>
#include <openssl/evp.h>

#include <exam/util/error.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/translate.hpp>

namespace exam {

namespace {

// Fetched once: OpenSSL 3 would otherwise look the algorithm up on every digest, which
// dominated hashing the journal's short leaves.
const EVP_MD* sha256_algorithm() {
    static const EVP_MD* algorithm = [] {
        const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        return fetched != nullptr ? fetched : EVP_sha256();
    }();
    return algorithm;
}

}  // namespace

struct Sha256::Context {
    EVP_MD_CTX* evp = EVP_MD_CTX_new();
    bool started = false;
    ~Context() { EVP_MD_CTX_free(evp); }
    void start() {
        if (evp == nullptr || EVP_DigestInit_ex(evp, sha256_algorithm(), nullptr) != 1) {
            throw InternalError("OpenSSL could not start a SHA-256 digest");
        }
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
    if (EVP_DigestUpdate(m_context->evp, data.data(), data.size()) != 1) {
        throw InternalError("OpenSSL failed to update a SHA-256 digest");
    }
}

void Sha256::update(std::string_view data) {
    update(std::as_bytes(std::span{data.data(), data.size()}));
}

Sha256Digest Sha256::finish() {
    Sha256Digest digest{};
    unsigned int length = 0;
    if (!m_context->started) {
        m_context->start();
    }
    if (EVP_DigestFinal_ex(m_context->evp, digest.data(), &length) != 1 ||
        length != digest.size()) {
        throw InternalError("OpenSSL failed to finish a SHA-256 digest");
    }
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
