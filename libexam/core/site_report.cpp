#include <nlohmann/json.hpp>

#include <exam/core/site_report.hpp>
#include <exam/util/json.hpp>
#include <exam/util/table.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {

void write_site_text(std::ostream& out, const Site& site, const Palette& palette) {
    out << palette.paint(
               _f("Exam point {} (region {}): {}", site.ppe_code, site.region_code, site.name),
               Color::bold)
        << '\n';
    out << _f(
        "Site file:   {}\nTimezone:    {}\nData:        {}\nRecordings:  {}\n"
        "Journal:     {}\nKeys:        {}\n",
        site.file.string(), site.timezone.name(), site.paths.data.string(),
        site.paths.recordings.string(),
        site.journal.keep ? site.paths.journal.string()
                          : _("none kept on this station ([journal] keep = false)"),
        site.paths.keys.string());
    out << '\n'
        << fmt::format(fmt::runtime(_n("{} room", "{} rooms", site.rooms.size())),
                       site.rooms.size())
        << ", "
        << fmt::format(fmt::runtime(_n("{} camera", "{} cameras", site.camera_count())),
                       site.camera_count())
        << ", "
        << fmt::format(fmt::runtime(_n("{} exam", "{} exams", site.exams.size())),
                       site.exams.size())
        << "\n\n";
    Table rooms({{_("ROOM")},
                 {_("KIND")},
                 {_("LABEL")},
                 {_("CAMERA")},
                 {_("CAMERA LABEL")},
                 {_("ADDRESS")}});
    for (const Room& room : site.rooms) {
        if (room.cameras.empty()) {
            rooms.add_row({room.id,
                           std::string{to_string(room.kind)},
                           room.label,
                           {_("(none)"), Color::yellow},
                           "",
                           ""});
        }
        for (const Camera& camera : room.cameras) {
            rooms.add_row({room.id, std::string{to_string(room.kind)}, room.label, camera.id,
                           camera.label, without_password(camera.uri)});
        }
    }
    rooms.render(out, palette);
}

void write_site_json(std::ostream& out, const Site& site) {
    Json rooms = Json::array();
    for (const Room& room : site.rooms) {
        Json cameras = Json::array();
        for (const Camera& camera : room.cameras) {
            cameras.push_back({{"id", camera.id},
                               {"label", camera.label},
                               {"uri", without_password(camera.uri)}});
        }
        rooms.push_back({{"id", room.id},
                         {"label", room.label},
                         {"kind", to_string(room.kind)},
                         {"cameras", std::move(cameras)}});
    }
    Json exams = Json::array();
    for (const Exam& exam : site.exams) {
        exams.push_back(
            {{"id", exam.id},
             {"subject", exam.subject},
             {"date", format_local(std::chrono::local_days{exam.date}, TimePrecision::minutes)
                          .substr(0, 10)},
             {"start", format_local(LocalTime{exam.start_time}, TimePrecision::minutes).substr(11)},
             {"duration", format_duration(exam.duration)},
             {"check_lead", format_duration(exam.check_lead)}});
    }
    write_json(out, {{"version", 1},
                     {"file", site.file.string()},
                     {"ppe_code", site.ppe_code},
                     {"region", site.region_code},
                     {"name", site.name},
                     {"timezone", site.timezone.name()},
                     {"journal_kept", site.journal.keep},
                     {"paths",
                      {{"data", site.paths.data.string()},
                       {"recordings", site.paths.recordings.string()},
                       {"journal", site.paths.journal.string()},
                       {"keys", site.paths.keys.string()}}},
                     {"exams", std::move(exams)},
                     {"rooms", std::move(rooms)}});
}

}  // namespace exam
