#include <charconv>
#include <cstdlib>
#include <vector>

#include <date/tz.h>
#include <fmt/format.h>

#include <exam/util/error.hpp>
#include <exam/util/text.hpp>
#include <exam/util/time.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `width` decimal digits at `pos`, advancing it.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t width) {
    if (pos + width > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    pos += width;
    return value;
}

bool expect_char(std::string_view text, std::size_t& pos, char wanted) {
    if (pos < text.size() && text[pos] == wanted) {
        ++pos;
        return true;
    }
    return false;
}

// Three numbers, year first or day first, with `separator` between them, checked against the
// calendar (no 31 April).
std::optional<std::chrono::year_month_day> read_calendar_date(std::string_view text,
                                                              std::size_t& pos, bool day_first,
                                                              char separator) {
    const auto first = read_digits(text, pos, day_first ? 2 : 4);
    if (!first || !expect_char(text, pos, separator)) {
        return std::nullopt;
    }
    const auto month = read_digits(text, pos, 2);
    if (!month || !expect_char(text, pos, separator)) {
        return std::nullopt;
    }
    const auto last = read_digits(text, pos, day_first ? 4 : 2);
    if (!last) {
        return std::nullopt;
    }
    const int year = day_first ? *last : *first;
    const int day = day_first ? *first : *last;
    const std::chrono::year_month_day date{std::chrono::year{year},
                                           std::chrono::month{static_cast<unsigned>(*month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return date;
}

// "YYYY-MM-DD".
std::optional<std::chrono::year_month_day> read_date(std::string_view text, std::size_t& pos) {
    return read_calendar_date(text, pos, false, '-');
}

// "DD.MM.YYYY", as Russian writes a date and examkit shows one in Russian.
std::optional<std::chrono::year_month_day> read_day_first_date(std::string_view text,
                                                               std::size_t& pos) {
    return read_calendar_date(text, pos, true, '.');
}

// "HH:MM[:SS[.fff...]]"; fractions beyond milliseconds are truncated.
std::optional<milliseconds> read_time_of_day(std::string_view text, std::size_t& pos,
                                             bool allow_fraction) {
    const auto hour = read_digits(text, pos, 2);
    if (!hour || *hour > 23 || !expect_char(text, pos, ':')) {
        return std::nullopt;
    }
    const auto minute = read_digits(text, pos, 2);
    if (!minute || *minute > 59) {
        return std::nullopt;
    }
    milliseconds result = hours{*hour} + minutes{*minute};
    if (!expect_char(text, pos, ':')) {
        return result;
    }
    const auto second = read_digits(text, pos, 2);
    if (!second || *second > 59) {
        return std::nullopt;
    }
    result += seconds{*second};
    if (allow_fraction && expect_char(text, pos, '.')) {
        int scale = 100;
        int fraction = 0;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            fraction += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) {
            return std::nullopt;
        }
        result += milliseconds{fraction};
    }
    return result;
}

// "Z", "+HH:MM" or "-HH:MM" at `pos`; nullopt when absent or malformed (`present` tells which).
std::optional<minutes> read_offset(std::string_view text, std::size_t& pos, bool& present) {
    present = pos < text.size();
    if (!present) {
        return std::nullopt;
    }
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
        return minutes{0};
    }
    if (text[pos] != '+' && text[pos] != '-') {
        return std::nullopt;
    }
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    const auto offset_hours = read_digits(text, pos, 2);
    if (!offset_hours || *offset_hours > 23 || !expect_char(text, pos, ':')) {
        return std::nullopt;
    }
    const auto offset_minutes = read_digits(text, pos, 2);
    if (!offset_minutes || *offset_minutes > 59) {
        return std::nullopt;
    }
    return minutes{sign * (*offset_hours * 60 + *offset_minutes)};
}

std::string two_digit_offset(seconds offset) {
    const char sign = offset < seconds{0} ? '-' : '+';
    const auto total_minutes = std::abs(std::chrono::duration_cast<minutes>(offset).count());
    return fmt::format("{}{:02}:{:02}", sign, total_minutes / 60, total_minutes % 60);
}

[[noreturn]] void throw_bad_command_line_time(std::string_view text, const TimeZone& zone) {
    throw InputError(
        _f("cannot read \"{}\" as a time: expected RFC 3339 with an offset "
           "(\"2026-06-01T09:30:00+03:00\"), a local time in {} (\"2026-06-01 09:30\" or "
           "\"01.06.2026 09:30\") or a time today (\"09:30\")",
           text, zone.name()));
}

}  // namespace

TimePoint now() {
    return std::chrono::floor<milliseconds>(std::chrono::system_clock::now());
}

std::string format_utc(TimePoint time) {
    // Written digit by digit: this runs for every journal leaf, and fmt costs ten times more.
    const auto day = std::chrono::floor<days>(time);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss<milliseconds> clock{time - day};
    std::string text = "0000-00-00T00:00:00.000Z";
    const auto put = [&text](std::size_t at, long long value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            text[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
    };
    put(0, static_cast<int>(date.year()), 4);
    put(5, static_cast<unsigned>(date.month()), 2);
    put(8, static_cast<unsigned>(date.day()), 2);
    put(11, clock.hours().count(), 2);
    put(14, clock.minutes().count(), 2);
    put(17, clock.seconds().count(), 2);
    put(20, clock.subseconds().count(), 3);
    return text;
}

std::optional<TimePoint> parse_utc(std::string_view text) {
    if (text.size() != 24) {
        return std::nullopt;
    }
    std::size_t pos = 0;
    const auto date = read_date(text, pos);
    if (!date || !expect_char(text, pos, 'T')) {
        return std::nullopt;
    }
    const auto clock = read_time_of_day(text, pos, true);
    if (!clock || !expect_char(text, pos, 'Z') || pos != text.size()) {
        return std::nullopt;
    }
    return std::chrono::sys_days{*date} + *clock;
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
    std::size_t pos = 0;
    const auto date = read_date(text, pos);
    if (!date || pos != text.size()) {
        return std::nullopt;
    }
    return date;
}

std::optional<seconds> parse_time_of_day(std::string_view text) {
    std::size_t pos = 0;
    const auto clock = read_time_of_day(text, pos, false);
    if (!clock || pos != text.size()) {
        return std::nullopt;
    }
    return std::chrono::duration_cast<seconds>(*clock);
}

std::string format_local(LocalTime time, TimePrecision precision) {
    const auto day = std::chrono::floor<days>(time);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss<milliseconds> clock{time - day};
    std::string text =
        fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", static_cast<int>(date.year()),
                    static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                    clock.hours().count(), clock.minutes().count());
    if (precision != TimePrecision::minutes) {
        text += fmt::format(":{:02}", clock.seconds().count());
    }
    if (precision == TimePrecision::milliseconds) {
        text += fmt::format(".{:03}", clock.subseconds().count());
    }
    return text;
}

bool dates_day_first() {
    // TRANSLATORS: not a sentence: how people of your language write a date. Keep
    // "date-order:ymd" for 2026-11-22, or write "date-order:dmy" for 22.11.2026.
    return std::string_view{_("date-order:ymd")} == "date-order:dmy";
}

std::string format_local_for_people(LocalTime time, TimePrecision precision) {
    std::string text = format_local(time, precision);
    if (dates_day_first()) {
        // "2026-11-22 07:45" -> "22.11.2026 07:45"
        text = fmt::format("{}.{}.{}{}", text.substr(8, 2), text.substr(5, 2), text.substr(0, 4),
                           text.substr(10));
    }
    return text;
}

std::optional<TimeZone> TimeZone::find(std::string_view iana_name) {
    try {
        return TimeZone{date::locate_zone(std::string{iana_name})};
    } catch (const std::runtime_error&) {
        return std::nullopt;
    }
}

std::string TimeZone::name() const {
    return std::string{m_zone->name()};
}

std::chrono::seconds TimeZone::offset_at(TimePoint time) const {
    return m_zone->get_info(time).offset;
}

LocalTime TimeZone::to_local(TimePoint time) const {
    return LocalTime{time.time_since_epoch() + offset_at(time)};
}

std::optional<TimePoint> TimeZone::from_local(LocalTime time) const {
    const date::local_time<milliseconds> local{time.time_since_epoch()};
    const date::local_info info = m_zone->get_info(local);
    if (info.result != date::local_info::unique) {
        return std::nullopt;
    }
    return TimePoint{time.time_since_epoch() - info.first.offset};
}

std::string TimeZone::format_rfc3339(TimePoint time) const {
    std::string text = format_local(to_local(time), TimePrecision::seconds);
    text[10] = 'T';
    return text + two_digit_offset(offset_at(time));
}

std::string TimeZone::format_for_display(TimePoint time, TimePrecision precision) const {
    return format_local_for_people(to_local(time), precision);
}

std::string TimeZone::label_at(TimePoint time) const {
    const std::string_view zone_name = m_zone->name();
    if (zone_name == "UTC" || zone_name == "Etc/UTC") {
        return "UTC";
    }
    return two_digit_offset(offset_at(time));
}

std::string TimeZone::format_labelled(TimePoint time, TimePrecision precision) const {
    return format_for_display(time, precision) + " " + label_at(time);
}

std::optional<std::string> TimeZone::closest_name(std::string_view typed) {
    const date::tzdb& database = date::get_tzdb();
    // With the system's tz database (USE_OS_TZDB) links such as "UTC" are zones of their own.
    std::vector<std::string_view> names;
    names.reserve(database.zones.size());
    for (const date::time_zone& zone : database.zones) {
        names.push_back(zone.name());
    }
    const std::string lower = ascii_lower(typed);
    for (const std::string_view name : names) {
        if (ascii_lower(name) == lower) {
            return std::string{name};
        }
    }
    return closest_match(typed, names);
}

TimeZone time_zone_from_option(std::string_view name, std::string_view option) {
    if (auto zone = TimeZone::find(name)) {
        return *zone;
    }
    const auto suggestion = TimeZone::closest_name(name);
    throw UsageError(
        _f("unknown timezone \"{}\" in {}{}; expected an IANA name such as "
           "\"Europe/Moscow\", \"Asia/Yekaterinburg\" or \"UTC\" "
           "('timedatectl list-timezones' lists them)",
           name, option, suggestion ? _f(" (did you mean \"{}\"?)", *suggestion) : std::string{}));
}

TimePoint parse_command_line_time(std::string_view text, const TimeZone& zone, TimePoint today) {
    std::size_t pos = 0;
    LocalTime wall_clock;
    const bool day_first = text.size() >= 10 && text[2] == '.';
    if (text.size() >= 10 && (text[4] == '-' || day_first)) {
        const auto date = day_first ? read_day_first_date(text, pos) : read_date(text, pos);
        if (!date || pos >= text.size() ||
            (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
            throw_bad_command_line_time(text, zone);
        }
        ++pos;
        const auto clock = read_time_of_day(text, pos, true);
        if (!clock) {
            throw_bad_command_line_time(text, zone);
        }
        // As the listings show a time ("… 07:45:12 +03:00", "… 04:45:12 UTC"): copied whole.
        if (text.substr(pos) == " UTC") {
            return std::chrono::sys_days{*date} + *clock;
        }
        if (pos + 1 < text.size() && text[pos] == ' ' &&
            (text[pos + 1] == '+' || text[pos + 1] == '-')) {
            ++pos;
        }
        bool offset_present = false;
        const auto offset = read_offset(text, pos, offset_present);
        if (offset) {
            if (pos != text.size()) {
                throw_bad_command_line_time(text, zone);
            }
            return std::chrono::sys_days{*date} + *clock - *offset;
        }
        if (offset_present) {
            throw_bad_command_line_time(text, zone);
        }
        wall_clock = LocalTime{(std::chrono::sys_days{*date} + *clock).time_since_epoch()};
    } else {
        const auto clock = read_time_of_day(text, pos, false);
        if (!clock || pos != text.size()) {
            throw_bad_command_line_time(text, zone);
        }
        const auto local_day = std::chrono::floor<days>(zone.to_local(today));
        wall_clock = local_day + *clock;
    }
    const auto resolved = zone.from_local(wall_clock);
    if (!resolved) {
        throw InputError(
            _f("the local time \"{}\" does not exist or happens twice in {} because of a clock "
               "change; write it with an offset, such as \"2026-06-01T09:30:00+03:00\"",
               text, zone.name()));
    }
    return *resolved;
}

}  // namespace exam
