#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <exam/core/camera_address.hpp>
#include <exam/core/roles.hpp>
#include <exam/core/site_loader.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/host_port.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "core/toml_reader.hpp"

namespace exam {
namespace {

namespace fs = std::filesystem;
using toml_reader::Table;

constexpr std::array k_room_kinds{
    std::pair<std::string_view, RoomKind>{"exam", RoomKind::exam},
    std::pair<std::string_view, RoomKind>{"hq", RoomKind::hq},
    std::pair<std::string_view, RoomKind>{"entrance", RoomKind::entrance},
};

// Every duration, size and number the site file holds, with the range docs/site-file.md gives.
constexpr toml_reader::Range<Milliseconds> k_after_end_range{Milliseconds{0},
                                                             std::chrono::hours{24}};
constexpr toml_reader::Range<Milliseconds> k_window_range{Milliseconds{0}, std::chrono::hours{12}};
constexpr toml_reader::Range<Milliseconds> k_segment_range{std::chrono::seconds{2},
                                                           std::chrono::hours{1}};
constexpr toml_reader::Range<Milliseconds> k_watchdog_range{std::chrono::seconds{1},
                                                            std::chrono::minutes{5}};
constexpr toml_reader::Range<std::uint64_t> k_reserve_range{0, 16ULL << 40};  // 16 TiB
constexpr toml_reader::Range<Milliseconds> k_exam_duration_range{std::chrono::minutes{1},
                                                                 std::chrono::hours{12}};
constexpr toml_reader::Range<Milliseconds> k_check_lead_range{Milliseconds{0},
                                                              std::chrono::hours{24}};
constexpr toml_reader::Range<std::int64_t> k_picture_side_range{16, 16384};
constexpr toml_reader::Range<Milliseconds> k_health_every_range{std::chrono::seconds{1},
                                                                std::chrono::hours{1}};
constexpr toml_reader::Range<Milliseconds> k_alarm_after_range{Milliseconds{0},
                                                               std::chrono::hours{1}};
constexpr toml_reader::Range<double> k_frame_rate_range{0.1, 240};

// Ids name folders of recordings and appear in file names, so they stay within a safe set.
bool is_safe_id(std::string_view id) {
    return !id.empty() && id.front() != '.' && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

std::string read_id(Table& table, std::string_view key) {
    std::string id = table.required_string(key);
    if (!is_safe_id(id)) {
        table.fail_at_key(key,
                          _f("\"{}\" in {} may hold only Latin letters, digits, '-', '_' and "
                             "'.' (it names folders), and must not start with '.'; found \"{}\"",
                             key, table.what(), id));
    }
    return id;
}

std::string read_digits(Table& table, std::string_view key, std::size_t min_length,
                        std::size_t max_length, std::string_view example) {
    std::string code = table.required_string(key);
    const bool digits =
        std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || code.size() < min_length || code.size() > max_length) {
        table.fail_at_key(key, _f("\"{}\" must be {} to {} digits in quotes, such as \"{}\"; found "
                                  "\"{}\"",
                                  key, min_length, max_length, example, code));
    }
    return code;
}

fs::path resolve(const fs::path& base, const std::string& written) {
    const fs::path path{written};
    return (path.is_absolute() ? path : base / path).lexically_normal();
}

bool is_inside(const fs::path& inner, const fs::path& outer) {
    const fs::path relative = inner.lexically_relative(outer);
    return !relative.empty() && *relative.begin() != "..";
}

// The folder that relative paths hang from: the site file's real folder, whatever the spelling
// that named it (relative, with "..", through a symlink), so that every tool run from any
// folder finds the same journal and recordings.
fs::path real_folder_of(const fs::path& file) {
    std::error_code error;
    fs::path real = fs::weakly_canonical(fs::absolute(file, error), error);
    if (error) {
        real = fs::absolute(file, error).lexically_normal();
    }
    return real.parent_path();
}

// Where examkit before this fix put the default journal of a site file named by a relative
// path ("sub/site.toml" -> "sub/sub/data/journal.sqlite"), relative to the working folder.
fs::path journal_at_the_doubled_path(const fs::path& file, const SitePaths& paths) {
    const fs::path as_named = file.parent_path();
    const fs::path data_as_written = paths.data.lexically_relative(real_folder_of(file));
    return fs::absolute(as_named / as_named / data_as_written / "journal.sqlite")
        .lexically_normal();
}

// A journal left at the doubled path must not be silently replaced by a new, empty one.
void refuse_a_misplaced_journal(const Site& site) {
    std::error_code error;
    if (site.file.parent_path().empty() || site.file.parent_path().is_absolute() ||
        site.paths.journal != site.paths.data / "journal.sqlite" ||
        fs::exists(site.paths.journal, error)) {
        return;
    }
    const fs::path misplaced = journal_at_the_doubled_path(site.file, site.paths);
    if (misplaced == site.paths.journal || !fs::is_regular_file(misplaced, error)) {
        return;
    }
    throw ConfigError(_f(
        "the site's journal belongs at \"{0}\", but a journal is at \"{1}\", where an earlier "
        "examkit put it when the site file was named as \"{2}\"; nothing was written. Stop every "
        "examkit tool and move it with the files beside it: mv \"{1}\" \"{0}\" (and \"{1}-wal\", "
        "\"{1}-shm\" if they exist), or name it in the site file: [paths] journal = \"{1}\"",
        site.paths.journal.string(), misplaced.string(), site.file.string()));
}

SitePaths read_paths(Table& root, const fs::path& base) {
    SitePaths paths;
    auto table = root.table("paths");
    auto get = [&](std::string_view key, const std::string& fallback) {
        std::optional<std::string> written = table ? table->optional_string(key) : std::nullopt;
        if (written && written->empty()) {
            table->fail_at_key(key, _f("\"{}\" in [paths] must not be empty", key));
        }
        return resolve(base, written.value_or(fallback));
    };
    paths.data = get("data", "data");
    paths.recordings = get("recordings", "recordings");
    // The default hangs from the data folder, which is resolved already: resolving it again
    // against `base` once put the journal at <folder>/<folder>/data for a relative site path.
    paths.journal = get("journal", (paths.data / "journal.sqlite").string());
    paths.keys = get("keys", "keys");
    if (table) {
        table->finish();
    }
    for (const auto& [name, folder] :
         {std::pair{"data", paths.data}, std::pair{"recordings", paths.recordings}}) {
        if (is_inside(paths.keys, folder) || paths.keys == folder ||
            is_inside(folder, paths.keys)) {
            const std::string message =
                _f("the keys folder \"{}\" must be kept apart from the {} folder \"{}\": that "
                   "folder gets copied, and keys must never leave with it; give them separate "
                   "folders",
                   paths.keys.string(), name, folder.string());
            if (table) {
                table->fail_at_key("keys", message);
            }
            root.fail_at_table(message);
        }
    }
    return paths;
}

JournalSettings read_journal_settings(Table& root) {
    JournalSettings settings;
    auto table = root.table("journal");
    if (!table) {
        return settings;
    }
    settings.keep = table->optional_bool("keep").value_or(true);
    settings.roster_exempt_roles = table->string_array("roster_exempt_roles");
    for (const std::string& role : settings.roster_exempt_roles) {
        if (!is_known_role(role)) {
            table->fail_at_key("roster_exempt_roles", unknown_role_text(role));
        }
    }
    table->finish();
    return settings;
}

TimeSettings read_time_settings(Table& root) {
    TimeSettings settings;
    auto table = root.table("time");
    if (!table) {
        return settings;
    }
    settings.ntp_server = table->optional_string("ntp_server").value_or("");
    if (!parse_host_optional_port(settings.ntp_server, "123")) {
        table->fail_at_key("ntp_server",
                           _f("\"ntp_server\" must be {} (123 when none is written); found \"{}\"",
                              host_port_syntax(), settings.ntp_server));
    }
    table->finish();
    return settings;
}

void read_window(Table& table, WindowSettings& window) {
    window.before_start =
        table.optional_duration("before_start", k_window_range).value_or(window.before_start);
    window.after_end =
        table.optional_duration("after_end", k_window_range).value_or(window.after_end);
    table.finish();
}

// "MM-DD", a day every year has (29 February is not: most years would keep nothing past it).
std::chrono::month_day read_month_day(Table& table, std::string_view key, const std::string& text) {
    unsigned month = 0;
    unsigned day = 0;
    const bool shaped = text.size() == 5 && text[2] == '-' &&
                        std::isdigit(static_cast<unsigned char>(text[0])) &&
                        std::isdigit(static_cast<unsigned char>(text[1])) &&
                        std::isdigit(static_cast<unsigned char>(text[3])) &&
                        std::isdigit(static_cast<unsigned char>(text[4]));
    if (shaped) {
        month = static_cast<unsigned>((text[0] - '0') * 10 + (text[1] - '0'));
        day = static_cast<unsigned>((text[3] - '0') * 10 + (text[4] - '0'));
    }
    const std::chrono::month_day result{std::chrono::month{month}, std::chrono::day{day}};
    if (!shaped || !result.ok() || (month == 2 && day == 29)) {
        table.fail_at_key(key, _f("{} in {} must be a day of the year as \"MM-DD\" (\"03-01\" for "
                                  "1 March; not \"02-29\"); found \"{}\"",
                                  key, table.what(), text));
    }
    return result;
}

RecordingSettings read_recording_settings(Table& root) {
    RecordingSettings settings;
    auto table = root.table("recording");
    if (!table) {
        return settings;
    }
    settings.after_end =
        table->optional_duration("after_end", k_after_end_range).value_or(settings.after_end);
    settings.segment =
        table->optional_duration("segment", k_segment_range).value_or(settings.segment);
    settings.watchdog =
        table->optional_duration("watchdog", k_watchdog_range).value_or(settings.watchdog);
    settings.reserve =
        table->optional_byte_size("reserve", k_reserve_range).value_or(settings.reserve);
    settings.audio = table->optional_bool("audio").value_or(settings.audio);
    if (const auto keep_until = table->optional_string("keep_until")) {
        settings.keep_until = read_month_day(*table, "keep_until", *keep_until);
    }
    // [recording] after_end is where exam rooms and the entrance stop unless their own says.
    settings.exam_rooms.after_end = settings.after_end;
    settings.entrance.after_end = settings.after_end;
    for (auto [key, window] :
         {std::pair{"exam", &settings.exam_rooms}, std::pair{"hq", &settings.hq},
          std::pair{"entrance", &settings.entrance}}) {
        if (auto room_kind = table->table(key)) {
            read_window(*room_kind, *window);
        }
    }
    table->finish();
    return settings;
}

// A group name as groupadd accepts it: it is looked up, never run or put in a path.
bool is_group_name(std::string_view name) {
    return !name.empty() && name.size() <= 32 && name.front() != '-' &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
           });
}

// The alarm command's program, found as a check suite's `argv` finds its own: a relative path
// ("scripts/alarm.sh"), or a bare name of a file in the site file's folder, is the site's own
// script there; any other bare name ("logger") is looked up in PATH when it runs.
std::string resolve_program(const fs::path& base, const std::string& program) {
    std::error_code ignored;
    if (program.front() != '/' &&
        (program.find('/') != std::string::npos || fs::exists(base / program, ignored))) {
        return (base / program).lexically_normal().string();
    }
    return program;
}

ServiceSettings read_service_settings(Table& root, const fs::path& base) {
    ServiceSettings settings;
    auto table = root.table("service");
    if (!table) {
        return settings;
    }
    settings.control_group =
        table->optional_string("control_group").value_or(settings.control_group);
    if (!is_group_name(settings.control_group)) {
        table->fail_at_key("control_group",
                           _f("\"control_group\" in [service] must be the name of a system group "
                              "(letters, digits, '-', '_', '.'; at most 32), such as \"examkit\"; "
                              "found \"{}\"",
                              settings.control_group));
    }
    settings.health_every = table->optional_interval_or_off("health_every", k_health_every_range)
                                .value_or(settings.health_every);
    settings.alarm_after =
        table->optional_duration("alarm_after", k_alarm_after_range).value_or(settings.alarm_after);
    if (auto command = table->optional_command("alarm_command")) {
        command->front() = resolve_program(base, command->front());
        settings.alarm_command = std::move(*command);
    }
    if (const auto metrics = table->optional_string("metrics_file"); metrics && !metrics->empty()) {
        settings.metrics_file = resolve(base, *metrics);
    }
    table->finish();
    return settings;
}

Exam read_exam(Table& table) {
    Exam exam;
    exam.id = read_id(table, "id");
    exam.date = table.required_date("date");
    exam.subject = table.required_string("subject");
    exam.start_time = table.required_time_of_day("start");
    exam.duration = table.required_duration("duration", k_exam_duration_range);
    exam.check_lead =
        table.optional_duration("check_lead", k_check_lead_range).value_or(exam.check_lead);
    table.finish();
    return exam;
}

Camera read_camera(Table& table) {
    Camera camera;
    camera.id = read_id(table, "id");
    camera.uri = table.required_string("uri");
    if (const auto problem = camera_address_problem(camera.uri)) {
        table.fail_at_key("uri", _f("\"uri\" must be a camera's address, such as "
                                    "\"rtsp://192.168.10.21:554/stream1\"; \"{}\" is not: {}",
                                    without_password(camera.uri), *problem));
    }
    camera.label = table.optional_string("label").value_or(camera.id);
    for (auto [key, size] :
         {std::pair{"width", &camera.width}, std::pair{"height", &camera.height}}) {
        if (const auto pixels = table.optional_integer(key, k_picture_side_range)) {
            *size = static_cast<int>(*pixels);
        }
    }
    if (camera.width.has_value() != camera.height.has_value()) {
        table.fail_at_key(camera.width ? "width" : "height",
                          _("give both \"width\" and \"height\", or neither"));
    }
    camera.fps = table.optional_number("fps", k_frame_rate_range);
    if (const auto bitrate = table.optional_string("bitrate")) {
        const auto bits = parse_bitrate(*bitrate);
        if (!bits) {
            table.fail_at_key(
                "bitrate", _f("\"bitrate\" must be {}; found \"{}\"", bitrate_syntax(), *bitrate));
        }
        camera.bitrate = *bits;
    }
    camera.audio = table.optional_bool("audio");
    table.finish();
    return camera;
}

Room read_room(Table& table) {
    Room room;
    room.id = read_id(table, "id");
    room.label = table.optional_string("label").value_or(room.id);
    room.kind = table.optional_enum<RoomKind>("kind", k_room_kinds).value_or(RoomKind::exam);
    room.audio = table.optional_bool("audio");
    for (Table& camera_table : table.tables("camera", "[[room.camera]]")) {
        room.cameras.push_back(read_camera(camera_table));
    }
    table.finish();
    return room;
}

// Reports the second use of an id at that use, naming the first.
class UniqueIds {
public:
    explicit UniqueIds(std::string_view kind) : m_kind(kind) {}
    // Ids differing only in case collide too: they name folders, and FAT32 and exFAT (the
    // commission's USB sticks) do not tell "Front" from "front".
    void add(const std::string& id, Table& table) {
        const auto [first, added] = m_seen.emplace(ascii_lower(id), id);
        if (!added) {
            table.fail_at_key("id", first->second == id
                                        ? _f("duplicate {} id \"{}\": each {} needs its own id",
                                             m_kind, id, m_kind)
                                        : _f("{} ids \"{}\" and \"{}\" differ only in case; they "
                                             "name folders, which would be one folder on a USB "
                                             "stick: rename one",
                                             m_kind, first->second, id));
        }
    }

private:
    std::string_view m_kind;
    std::map<std::string, std::string> m_seen;  // lower-case id -> the id as written
};

}  // namespace

fs::path locate_site_file(const SiteFileSources& sources) {
    auto must_exist = [](const fs::path& path, std::string_view source) {
        std::error_code error;
        if (!fs::is_regular_file(path, error)) {
            throw ConfigError(
                _f("the site file \"{}\" given by {} does not exist or is not a "
                   "file; check the path",
                   path.string(), source));
        }
        return path;
    };
    if (sources.flag) {
        return must_exist(*sources.flag, "--site");
    }
    if (sources.environment && !sources.environment->empty()) {
        return must_exist(*sources.environment, "EXAM_SITE");
    }
    std::error_code error;
    const fs::path local = sources.working_directory / "site.toml";
    if (fs::is_regular_file(local, error)) {
        return local;
    }
    if (fs::is_regular_file(sources.system_file, error)) {
        return sources.system_file;
    }
    throw ConfigError(
        _f("no site file found: looked for --site, EXAM_SITE, \"{}\" and \"{}\"; "
           "pass --site FILE or copy docs/examples/site.toml and edit it",
           local.string(), sources.system_file.string()));
}

Site parse_site(std::string_view text, const fs::path& file) {
    const toml::table document = toml_reader::parse(text, file);
    Table root{document, _("the site file"), file};

    Site site{.file = file,
              .ppe_code = read_digits(root, "ppe_code", 1, 10, "0001"),
              .region_code = read_digits(root, "region", 2, 2, "77"),
              .name = root.required_string("name"),
              .timezone = *TimeZone::find("UTC"),
              .exams = {},
              .rooms = {},
              .paths = {},
              .journal = {},
              .recording = {},
              .time = {},
              .service = {}};
    const std::string zone_name = root.required_string("timezone");
    const auto zone = TimeZone::find(zone_name);
    if (!zone) {
        root.fail_at_key("timezone", _f("unknown timezone \"{}\": expected an IANA name such as "
                                        "\"Europe/Moscow\" or \"Asia/Yekaterinburg\"",
                                        zone_name));
    }
    site.timezone = *zone;
    site.paths = read_paths(root, real_folder_of(file));
    site.journal = read_journal_settings(root);
    site.recording = read_recording_settings(root);
    site.time = read_time_settings(root);
    site.service = read_service_settings(root, real_folder_of(file));

    UniqueIds exam_ids{"exam"};
    for (Table& exam_table : root.tables("exam")) {
        site.exams.push_back(read_exam(exam_table));
        const Exam& exam = site.exams.back();
        exam_ids.add(exam.id, exam_table);
        if (!site.timezone.from_local(std::chrono::local_days{exam.date} + exam.start_time)) {
            exam_table.fail_at_key("start", _f("exam \"{}\" starts at a local time that does not "
                                               "exist or happens twice in {} (a clock change); "
                                               "move the start",
                                               exam.id, site.timezone.name()));
        }
    }
    UniqueIds room_ids{"room"};
    UniqueIds camera_ids{"camera"};
    for (Table& room_table : root.tables("room")) {
        site.rooms.push_back(read_room(room_table));
        room_ids.add(site.rooms.back().id, room_table);
        // Camera ids are unique across the site: they name recording folders and archives.
        auto camera_tables = room_table.tables("camera", "[[room.camera]]");
        for (std::size_t i = 0; i < camera_tables.size(); ++i) {
            camera_ids.add(site.rooms.back().cameras[i].id, camera_tables[i]);
        }
    }
    root.finish();
    return site;
}

Site load_site(const fs::path& file) {
    Site site = parse_site(read_text_file(file, _("the site file"), FileRole::configuration), file);
    refuse_a_misplaced_journal(site);
    return site;
}

}  // namespace exam
