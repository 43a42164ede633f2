// Time as examkit keeps it: UTC instants with millisecond precision in storage
// ("2026-06-01T07:00:00.000Z"), shown and typed in the exam point's own timezone.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace date {
class time_zone;  // Howard Hinnant's tz library stays out of our public headers.
}

namespace exam {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;
using LocalTime = std::chrono::local_time<std::chrono::milliseconds>;

// The current time from the system clock.
EXAM_EXPORT TimePoint now();

// Storage form: "YYYY-MM-DDTHH:MM:SS.mmmZ", always 24 characters, sorts as text.
EXAM_EXPORT std::string format_utc(TimePoint time);
// Reads exactly the storage form; nullopt for anything else.
EXAM_EXPORT std::optional<TimePoint> parse_utc(std::string_view text);

// "YYYY-MM-DD", checked against the calendar (no 31 April).
EXAM_EXPORT std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
// "HH:MM" or "HH:MM:SS" on a 24-hour clock, as an offset from midnight.
EXAM_EXPORT std::optional<std::chrono::seconds> parse_time_of_day(std::string_view text);

enum class TimePrecision { minutes, seconds, milliseconds };

// "YYYY-MM-DD HH:MM[:SS[.mmm]]" of a wall-clock time, without any offset.
EXAM_EXPORT std::string format_local(LocalTime time, TimePrecision precision);

// "YYYY-MM-DD HH:MM[:SS[.mmm]]", or "DD.MM.YYYY HH:MM…" where the user's language writes the
// day first (Russian: its catalogue says so); for people only, never for a file or a record.
EXAM_EXPORT std::string format_local_for_people(LocalTime time, TimePrecision precision);

// An IANA timezone ("Europe/Moscow") from the system's tz database.
class EXAM_EXPORT TimeZone {
public:
    // nullopt when the name is not in the tz database.
    static std::optional<TimeZone> find(std::string_view iana_name);

    [[nodiscard]] std::string name() const;
    [[nodiscard]] LocalTime to_local(TimePoint time) const;
    [[nodiscard]] std::chrono::seconds offset_at(TimePoint time) const;

    // nullopt when the wall-clock time does not exist or happens twice at a clock change,
    // so that nobody's exam silently moves by an hour.
    [[nodiscard]] std::optional<TimePoint> from_local(LocalTime time) const;

    // RFC 3339 with this zone's offset: "2026-06-01T10:00:00+03:00".
    [[nodiscard]] std::string format_rfc3339(TimePoint time) const;
    // For people: "2026-06-01 10:00" in this zone ("01.06.2026 10:00" in Russian).
    [[nodiscard]] std::string format_for_display(
        TimePoint time, TimePrecision precision = TimePrecision::minutes) const;
    // The zone as a reader needs it beside a time: "UTC" for UTC itself, else the offset in
    // force at that instant, "+03:00".
    [[nodiscard]] std::string label_at(TimePoint time) const;
    // For people who may not know which zone they are reading: "2026-06-01 10:00 +03:00",
    // "2026-06-01 07:00 UTC".
    [[nodiscard]] std::string format_labelled(
        TimePoint time, TimePrecision precision = TimePrecision::minutes) const;

    // The zone name nearest to a mistyped one ("europe/moskow" -> "Europe/Moscow"): the same
    // name in another case, else a plausible typo; nullopt when none is close.
    static std::optional<std::string> closest_name(std::string_view typed);

    friend bool operator==(const TimeZone& a, const TimeZone& b) { return a.m_zone == b.m_zone; }

private:
    explicit TimeZone(const date::time_zone* zone) : m_zone(zone) {}
    const date::time_zone* m_zone;
};

// The zone a person named in a command-line option such as --tz; throws UsageError naming
// the option, a did-you-mean and where the names are listed when it is not a known zone.
EXAM_EXPORT TimeZone time_zone_from_option(std::string_view name, std::string_view option);

// A time typed on a command line: RFC 3339 with an offset ("2026-06-01T09:30:00+03:00",
// "...Z"), or a wall-clock time in `zone` when no offset is written ("2026-06-01 09:30",
// "2026-06-01T09:30", or day first as Russian output shows it: "01.06.2026 09:30"), or a
// bare "HH:MM[:SS]" meaning that time on the day of `today` in `zone`. Throws InputError naming the
// accepted forms when the text is none of these.
EXAM_EXPORT TimePoint parse_command_line_time(std::string_view text, const TimeZone& zone,
                                              TimePoint today);

}  // namespace exam
