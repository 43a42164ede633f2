// Streaming SHA-256 over OpenSSL, for segment hashes, manifests and journal leaves.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

using Sha256Digest = std::array<std::uint8_t, 32>;

class EXAM_EXPORT Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::span<const std::byte> data);
    void update(std::string_view data);
    // Ends this hash; the object then starts over as a fresh one.
    [[nodiscard]] Sha256Digest finish();

private:
    struct Context;
    std::unique_ptr<Context> m_context;
};

EXAM_EXPORT Sha256Digest sha256(std::string_view data);
// Reads the file in blocks; throws StorageError naming the file when it cannot be read.
EXAM_EXPORT Sha256Digest sha256_file(const std::filesystem::path& file);
EXAM_EXPORT std::string to_hex(std::span<const std::uint8_t> bytes);

}  // namespace exam
