#include <array>
#include <limits>

#include <fmt/format.h>

#include <exam/util/byte_size.hpp>

namespace exam {

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
    std::uint64_t number = 0;
    std::size_t pos = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        const auto digit = static_cast<std::uint64_t>(text[pos] - '0');
        if (number > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
            return std::nullopt;
        }
        number = number * 10 + digit;
        ++pos;
    }
    if (pos == 0) {
        return std::nullopt;
    }
    struct Unit {
        std::string_view suffix;
        std::uint64_t factor;
    };
    static constexpr std::array<Unit, 10> k_units{{
        {"", 1},
        {"B", 1},
        {"KB", 1000},
        {"MB", 1000 * 1000},
        {"GB", 1000ULL * 1000 * 1000},
        {"TB", 1000ULL * 1000 * 1000 * 1000},
        {"KiB", 1ULL << 10},
        {"MiB", 1ULL << 20},
        {"GiB", 1ULL << 30},
        {"TiB", 1ULL << 40},
    }};
    const std::string_view suffix = text.substr(pos);
    for (const Unit& unit : k_units) {
        if (suffix == unit.suffix) {
            if (number > std::numeric_limits<std::uint64_t>::max() / unit.factor) {
                return std::nullopt;
            }
            return number * unit.factor;
        }
    }
    return std::nullopt;
}

std::string format_byte_size(std::uint64_t bytes) {
    static constexpr std::array<std::string_view, 5> k_names{"B", "KB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1000 && unit + 1 < k_names.size()) {
        value /= 1000;
        ++unit;
    }
    return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, k_names[unit]);
}

}  // namespace exam
