#include <array>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include <exam/util/duration.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

struct Unit {
    std::string_view suffix;
    std::int64_t milliseconds;
};

// Longest suffix first where one is a prefix of another ("ms" before "m").
constexpr std::array k_units{
    Unit{"ms", 1},          Unit{"s", 1000},         Unit{"m", 60 * 1000},
    Unit{"h", 3600 * 1000}, Unit{"d", 86400 * 1000},
};

}  // namespace

std::optional<Milliseconds> parse_duration(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    std::int64_t total = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::int64_t number = 0;
        const std::size_t digits_start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            const std::int64_t digit = text[pos] - '0';
            if (number > (std::numeric_limits<std::int64_t>::max() - digit) / 10) {
                return std::nullopt;
            }
            number = number * 10 + digit;
            ++pos;
        }
        if (pos == digits_start) {
            return std::nullopt;
        }
        const Unit* unit = nullptr;
        for (const Unit& candidate : k_units) {
            if (text.substr(pos, candidate.suffix.size()) == candidate.suffix) {
                unit = &candidate;
                break;
            }
        }
        if (unit == nullptr) {
            return std::nullopt;
        }
        pos += unit->suffix.size();
        if (number > (std::numeric_limits<std::int64_t>::max() - total) / unit->milliseconds) {
            return std::nullopt;
        }
        total += number * unit->milliseconds;
    }
    return Milliseconds{total};
}

std::string format_duration(Milliseconds duration) {
    std::int64_t remaining = duration.count();
    if (remaining == 0) {
        return "0s";
    }
    std::string text;
    if (remaining < 0) {
        text = "-";
        remaining = -remaining;
    }
    // Largest unit first; "ms" is last in value order but must not be tried before "s".
    constexpr std::array k_order{k_units[4], k_units[3], k_units[2], k_units[1], k_units[0]};
    for (const Unit& unit : k_order) {
        if (remaining >= unit.milliseconds) {
            text += std::to_string(remaining / unit.milliseconds);
            text += unit.suffix;
            remaining %= unit.milliseconds;
        }
    }
    return text;
}

std::string format_span(Milliseconds duration) {
    std::int64_t remaining = duration.count();
    if (remaining == 0) {
        return _f("{}s", 0);
    }
    // TRANSLATORS: a span's parts for people: days, hours, minutes ("1h30m"; "{}s" and "{}ms"
    // are the seconds and milliseconds). Written with a space ("{} ч"), parts get one between.
    const std::array<std::pair<const char*, std::int64_t>, 5> units{{
        {_("{}d"), 86400 * 1000},
        {_("{}h"), 3600 * 1000},
        {_("{}m"), 60 * 1000},
        {_("{}s"), 1000},
        {_("{}ms"), 1},
    }};
    std::string text = remaining < 0 ? "-" : "";
    remaining = remaining < 0 ? -remaining : remaining;
    bool first = true;
    for (const auto& [unit, milliseconds] : units) {
        if (remaining >= milliseconds) {
            const std::string_view form{unit};
            if (!first && form.find(' ') != std::string_view::npos) {
                text += ' ';
            }
            text += fmt::format(fmt::runtime(form), remaining / milliseconds);
            remaining %= milliseconds;
            first = false;
        }
    }
    return text;
}

std::string format_elapsed(Milliseconds duration) {
    const std::int64_t ms = duration.count();
    if (ms < 0) {
        return "-" + format_elapsed(Milliseconds{-ms});
    }
    // For people: the units and the decimal mark of their language ("1,5 с" in Russian).
    if (ms < 1000) {
        return _f("{}ms", ms);
    }
    if (ms < 10000) {
        // Tenths, rounded, without a trailing ".0": "1.5s", "2s".
        const std::int64_t tenths = (ms + 50) / 100;
        return tenths % 10 == 0
                   ? _f("{}s", tenths / 10)
                   : _f("{}s", with_decimal_mark(fmt::format("{}.{}", tenths / 10, tenths % 10)));
    }
    return format_span(Milliseconds{(ms + 500) / 1000 * 1000});
}

std::string duration_syntax() {
    return _(
        R"(a number with a unit: "500ms", "90s", "30m", "2h", "1d", or a sum such as "1h30m")");
}

}  // namespace exam
