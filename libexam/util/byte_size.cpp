#include <array>
#include <limits>

#include <fmt/format.h>

#include <exam/util/byte_size.hpp>
#include <exam/util/translate.hpp>

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
    // TRANSLATORS: units of size after a number, for people: bytes, kilobytes … terabytes.
    const std::array<const char*, 5> names{_("B"), _("KB"), _("MB"), _("GB"), _("TB")};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1000 && unit + 1 < names.size()) {
        value /= 1000;
        ++unit;
    }
    return unit == 0 ? fmt::format("{} {}", bytes, names[0])
                     : with_decimal_mark(fmt::format("{:.1f} {}", value, names[unit]));
}

std::string byte_size_as_written(std::uint64_t bytes) {
    // The largest unit that divides it: decimal first, then binary ("16TiB" for 2^44).
    static constexpr std::array<std::pair<std::uint64_t, std::string_view>, 8> k_units{
        {{1'000'000'000'000, "TB"},
         {1ULL << 40, "TiB"},
         {1'000'000'000, "GB"},
         {1ULL << 30, "GiB"},
         {1'000'000, "MB"},
         {1ULL << 20, "MiB"},
         {1'000, "KB"},
         {1ULL << 10, "KiB"}}};
    for (const auto& [size, name] : k_units) {
        if (bytes != 0 && bytes % size == 0) {
            return fmt::format("{}{}", bytes / size, name);
        }
    }
    return std::to_string(bytes);
}

std::optional<std::uint64_t> parse_bitrate(std::string_view text) {
    std::size_t pos = 0;
    double number = 0;
    bool digits = false;
    double scale = 0;  // 0 before the decimal point, then 0.1, 0.01...
    for (; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (c >= '0' && c <= '9') {
            digits = true;
            if (scale == 0) {
                number = number * 10 + (c - '0');
            } else {
                number += (c - '0') * scale;
                scale /= 10;
            }
        } else if (c == '.' && scale == 0 && digits) {
            scale = 0.1;
        } else {
            break;
        }
    }
    if (!digits || number > 1e12) {
        return std::nullopt;
    }
    std::string_view suffix = text.substr(pos);
    if (!suffix.empty() && suffix.front() == ' ') {
        suffix.remove_prefix(1);
    }
    struct Unit {
        std::string_view suffix;
        double factor;
    };
    static constexpr std::array<Unit, 9> k_units{{
        {"bit/s", 1},
        {"bps", 1},
        {"kbit/s", 1e3},
        {"kbps", 1e3},
        {"Kbps", 1e3},
        {"Mbit/s", 1e6},
        {"Mbps", 1e6},
        {"Gbit/s", 1e9},
        {"Gbps", 1e9},
    }};
    for (const Unit& unit : k_units) {
        if (suffix == unit.suffix) {
            const double bits = number * unit.factor;
            if (bits < 1 || bits > 1e12) {  // 1 Tbit/s: no camera, and no overflow below
                return std::nullopt;
            }
            return static_cast<std::uint64_t>(bits + 0.5);
        }
    }
    return std::nullopt;
}

std::string format_bitrate(std::uint64_t bits_per_second) {
    const double bits = static_cast<double>(bits_per_second);
    if (bits >= 1e6) {
        return with_decimal_mark(_f("{:.1f} Mbit/s", bits / 1e6));
    }
    return _f("{:.0f} kbit/s", bits / 1e3);
}

std::string bitrate_syntax() {
    return _(R"(a data rate such as "512kbit/s", "4Mbit/s" or "4 Mbps")");
}

std::string byte_size_syntax() {
    return _(R"(a size such as "500MB", "5GB" or "2GiB" (or a number of bytes))");
}

}  // namespace exam
