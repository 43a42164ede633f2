#include <map>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <exam/journal/journal_report.hpp>
#include <exam/journal/names.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/json.hpp>
#include <exam/util/table.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

Json entry_json(const JournalEntry& entry) {
    Json json = Json::parse(leaf_bytes(entry));
    json.erase("v");
    return json;
}

std::string csv_field(std::string_view value) {
    std::string out = "\"";
    for (const char c : neutralise_for_spreadsheet(value)) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

std::string describe(const JournalEntry& entry) {
    std::string text;
    for (const auto* part : {&entry.name, &entry.role, &entry.room, &entry.camera, &entry.note}) {
        if (*part && !(*part)->empty()) {
            text += text.empty() ? "" : " · ";
            text += **part;
        }
    }
    if (entry.reason) {
        text += text.empty() ? "" : " · ";
        text += *entry.reason;
    }
    return text;
}

Color kind_color(EntryKind kind) {
    switch (kind) {
        case EntryKind::denied: return Color::red;
        case EntryKind::enter: return Color::green;
        case EntryKind::exit: return Color::blue;
        default: return Color::none;
    }
}

}  // namespace

std::string neutralise_for_spreadsheet(std::string_view value) {
    if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                           value[0] == '@' || value[0] == '\t' || value[0] == '\r')) {
        return "'" + std::string{value};
    }
    return std::string{value};
}

std::vector<JournalEntry> list_entries(Journal& journal, const EntryFilter& filter) {
    // One query with the filter in its WHERE clause: a narrow listing of a large journal
    // reads only the rows it shows.
    std::string where = "1 = 1";
    std::vector<std::string> values;
    const auto add = [&](const char* clause, std::string value) {
        where += clause;
        values.push_back(std::move(value));
    };
    if (filter.exam)
        add(" AND exam = ?", *filter.exam);
    if (filter.since)
        add(" AND time >= ?", format_utc(*filter.since));
    if (filter.until)
        add(" AND time < ?", format_utc(*filter.until));
    if (filter.role)
        add(" AND role = ?", *filter.role);
    if (filter.name)
        add(" AND name_key = ?", name_key(*filter.name));
    if (filter.kind)
        add(" AND kind = ?", std::string{to_string(*filter.kind)});
    if (filter.room)
        add(" AND room = ?", *filter.room);
    if (filter.equipment_only) {
        // The one list of equipment kinds (entry.cpp), so that a new kind reaches the paper.
        std::string kinds;
        for (const std::string_view name : equipment_event_names()) {
            kinds += kinds.empty() ? "'" : ", '";
            kinds += name;
            kinds += "'";
        }
        where += " AND kind IN (" + kinds + ")";
    }
    std::vector<JournalEntry> entries;
    for_each_entry(
        journal.database(),
        [&](const JournalEntry& entry, const merkle::Hash&) { entries.push_back(entry); }, where,
        values);
    return entries;
}

void write_entries_text(std::ostream& out, const std::vector<JournalEntry>& entries,
                        const TimeZone& zone, const Palette& palette) {
    if (entries.empty()) {
        out << _("No journal entries match.") << '\n';
        return;
    }
    Table table(
        {{_("#"), Align::right}, {_("TIME")}, {_("KIND")}, {_("EXAM")}, {_("DETAILS")}, {_("BY")}});
    for (const JournalEntry& entry : entries) {
        table.add_row({std::to_string(entry.seq),
                       zone.format_labelled(entry.time, TimePrecision::seconds),
                       {std::string{to_string(entry.kind)}, kind_color(entry.kind)},
                       for_terminal(entry.exam.value_or("")),
                       for_terminal(describe(entry)),
                       for_terminal(entry.actor.value_or(""))});
    }
    table.render(out, palette);
}

void write_entries_json(std::ostream& out, const std::vector<JournalEntry>& entries) {
    Json list = Json::array();
    for (const JournalEntry& entry : entries) {
        list.push_back(entry_json(entry));
    }
    write_json(out, Json{{"version", 1}, {"entries", std::move(list)}});
}

namespace {

// The recorder's fixed reasons in the reader's words; any other reason as it was written.
std::string describe_reason(const std::string& reason) {
    if (reason == recording_reason::restart_after_crash) {
        return _("restarted after a crash or a power cut");
    }
    if (reason == recording_reason::ctrl_c) {
        return _("stopped with Ctrl-C");
    }
    if (reason == recording_reason::sigterm) {
        return _("stopped by the system (SIGTERM)");
    }
    if (reason == recording_reason::disk_full) {
        return _("the recordings' disk was full");
    }
    if (reason == recording_reason::error) {
        return _("stopped by an error");
    }
    if (reason == recording_reason::no_picture) {
        return _("the camera delivered no picture");
    }
    return reason;
}

}  // namespace

void write_equipment_journal_html(std::ostream& out, const Journal& journal,
                                  const std::vector<JournalEntry>& entries, const TimeZone& zone,
                                  std::string_view site_name) {
    // A recording start and the next stop of the same room and camera make one row.
    struct Row {
        const JournalEntry* start;
        const JournalEntry* end;
    };
    std::vector<Row> rows;
    std::map<std::pair<std::string, std::string>, std::size_t> open_recordings;
    for (const JournalEntry& entry : entries) {
        const auto where = std::pair{entry.room.value_or(""), entry.camera.value_or("")};
        if (entry.kind == EntryKind::recording_stop && open_recordings.contains(where)) {
            rows[open_recordings[where]].end = &entry;
            open_recordings.erase(where);
            continue;
        }
        if (entry.kind == EntryKind::recording_start) {
            open_recordings[where] = rows.size();
        }
        rows.push_back(Row{&entry, entry.kind == EntryKind::recording_start ? nullptr : &entry});
    }
    out << "<!DOCTYPE html>\n<html lang=\"" << escape_markup(language_tag())
        << "\"><head><meta charset=\"utf-8\">\n<title>"
        << escape_markup(_("Journal of access to video equipment")) << "</title>\n<style>\n"
        << "@page { size: A4 landscape; margin: 12mm; }\n"
        << "body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; }\n"
        << "table { border-collapse: collapse; width: 100%; }\n"
        << "th, td { border: 1px solid #000; padding: 3px 5px; vertical-align: top; }\n"
        << "th { background: #eee; }\n</style></head><body>\n";
    out << "<h1>" << escape_markup(_("Journal of access to video equipment")) << "</h1>\n<p>"
        << escape_markup(
               _f("Exam point {} (region {}): {}", journal.ppe(), journal.region(), site_name))
        << "</p>\n<p>" << escape_markup(_f("Times are in {}.", zone.name())) << "</p>\n";
    out << "<table>\n<tr><th>" << escape_markup(_("Date")) << "</th><th>"
        << escape_markup(_("Room")) << "</th><th>" << escape_markup(_("Start")) << "</th><th>"
        << escape_markup(_("End")) << "</th><th>" << escape_markup(_("Action")) << "</th><th>"
        << escape_markup(_("Person acting")) << "</th></tr>\n";
    for (const Row& row : rows) {
        const std::string start = zone.format_for_display(row.start->time, TimePrecision::seconds);
        const std::string end =
            row.end ? zone.format_for_display(row.end->time, TimePrecision::seconds) : "";
        std::string action = kind_for_people(row.start->kind);
        if (row.start->kind == EntryKind::recording_start) {
            action = _("recording");
        }
        if (row.start->camera) {
            action += " (" + *row.start->camera + ")";
        }
        if (row.start->note) {
            action += ": " + *row.start->note;
        }
        if (row.start->reason) {
            action += " (" + describe_reason(*row.start->reason) + ")";
        }
        if (row.end && row.end != row.start && row.end->reason) {
            action += "; " + _f("switched off: {}", describe_reason(*row.end->reason));
        }
        out << "<tr><td>" << start.substr(0, 10) << "</td><td>"
            << escape_markup(row.start->room.value_or("")) << "</td><td>" << start.substr(11)
            << "</td><td>" << (end.empty() ? "" : end.substr(11)) << "</td><td>"
            << escape_markup(action) << "</td><td>" << escape_markup(row.start->actor.value_or(""))
            << "</td></tr>\n";
    }
    out << "</table>\n</body></html>\n";
}

void write_inside_text(std::ostream& out, const std::vector<InsidePerson>& people,
                       const TimeZone& zone, TimePoint now, const Palette& palette) {
    out << palette.paint(
               fmt::format(fmt::runtime(_n("{} person inside", "{} people inside", people.size())),
                           people.size()),
               Color::bold)
        << '\n';
    if (people.empty()) {
        return;
    }
    Table table({{_("ENTRY"), Align::right},
                 {_("NAME")},
                 {_("ROLE")},
                 {_("EXAM")},
                 {_("SINCE")},
                 {_("FOR")}});
    std::map<std::string, std::size_t> per_role;
    for (const InsidePerson& person : people) {
        ++per_role[person.role];
        const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(now - person.since);
        const std::string inside_for =
            minutes.count() < 1 ? std::string{_("<1m")}
                                : format_span(std::chrono::duration_cast<Milliseconds>(minutes));
        table.add_row({std::to_string(person.enter_seq), for_terminal(person.name),
                       for_terminal(person.role), for_terminal(person.exam.value_or("")),
                       zone.format_labelled(person.since), inside_for});
    }
    out << '\n';
    table.render(out, palette);
    out << '\n';
    std::string counts;
    for (const auto& [role, count] : per_role) {
        counts += counts.empty() ? "" : ", ";
        counts += fmt::format("{} {}", for_terminal(role), count);
    }
    out << _f("By role: {}", counts) << '\n';
}

void write_inside_json(std::ostream& out, const std::vector<InsidePerson>& people) {
    Json list = Json::array();
    std::map<std::string, std::size_t> per_role;
    for (const InsidePerson& person : people) {
        ++per_role[person.role];
        Json item{{"entry", person.enter_seq},
                  {"name", person.name},
                  {"role", person.role},
                  {"since", format_utc(person.since)}};
        if (person.exam) {
            item["exam"] = *person.exam;
        }
        list.push_back(std::move(item));
    }
    Json roles = Json::object();
    for (const auto& [role, count] : per_role) {
        roles[role] = count;
    }
    write_json(out, Json{{"version", 1},
                         {"count", people.size()},
                         {"by_role", std::move(roles)},
                         {"people", std::move(list)}});
}

void write_entries_csv(std::ostream& out, Journal& journal) {
    out << "\xEF\xBB\xBF";  // a BOM, so spreadsheets read the UTF-8 names right
    out << "seq,time,kind,region,ppe,exam,name,role,doc_tail,room,camera,note,reason,actor\r\n";
    for_each_entry(journal.database(), [&](const JournalEntry& entry, const merkle::Hash&) {
        out << entry.seq << ',' << csv_field(format_utc(entry.time)) << ','
            << csv_field(to_string(entry.kind)) << ',' << csv_field(entry.region) << ','
            << csv_field(entry.ppe);
        for (const auto* field :
             {&entry.exam, &entry.name, &entry.role, &entry.doc_tail, &entry.room, &entry.camera,
              &entry.note, &entry.reason, &entry.actor}) {
            out << ',' << csv_field(field->value_or(""));
        }
        out << "\r\n";
    });
}

void write_entries_jsonl(std::ostream& out, Journal& journal) {
    for_each_entry(journal.database(), [&](const JournalEntry& entry, const merkle::Hash&) {
        out << leaf_bytes(entry) << '\n';
    });
}

void write_checkpoint_json(std::ostream& out, const StoredCheckpoint& checkpoint,
                           const std::optional<VerifierKey>& key) {
    write_json(out, Json{{"origin", checkpoint.checkpoint.origin},
                         {"tree_size", checkpoint.checkpoint.tree_size},
                         {"root_hash", base64_encode(checkpoint.checkpoint.root_hash)},
                         {"signed_at", format_utc(checkpoint.signed_at)},
                         {"note", checkpoint.note},
                         {"public_key", key ? key->to_text() : ""},
                         {"fingerprint", key ? key->fingerprint() : ""}});
}

namespace {

std::string key_origin(KeySource source) {
    switch (source) {
        case KeySource::option: return _("given with --public-key");
        case KeySource::site: return _("the exam point's own, from its keys folder");
        case KeySource::journal: return _("carried by the journal itself");
    }
    return {};
}

}  // namespace

void write_verify_text(std::ostream& out, const VerifyReport& report, const Palette& palette) {
    if (!report.ok) {
        out << palette.paint(_f("journal FAILED verification: {}", for_terminal(report.problem)),
                             Color::red)
            << '\n';
    } else if (report.key_from_journal) {
        out << palette.paint(_f("journal intact, but its origin is not proven: {} entries, {} "
                                "checkpoints",
                                report.entries, report.checkpoints),
                             Color::yellow)
            << '\n';
    } else {
        out << palette.paint(_f("journal verified: {} entries, {} checkpoints", report.entries,
                                report.checkpoints),
                             Color::green)
            << '\n';
    }
    out << _f("key: {} ({})", for_terminal(report.key_used), key_origin(report.key_source)) << '\n'
        << _f("fingerprint: {}", report.fingerprint) << '\n';
    if (report.key_from_journal) {
        out << _("note: the origin is not proven: the key was taken from the journal itself, and "
                 "anyone can make a journal consistent in itself with a key of their own. Compare "
                 "the fingerprint with the one on the exam point's readiness protocol, or pass the "
                 "key printed at 'exam-journal init' with --public-key")
            << '\n';
        if (!report.why_no_own_key.empty()) {
            out << _f("note: the exam point's own key was not used: {}",
                      for_terminal(report.why_no_own_key))
                << '\n';
        }
    }
    if (report.unsigned_tail > 0) {
        out << _f("note: the last {} entries are not covered by a checkpoint yet (the next append "
                  "or "
                  "'exam-journal checkpoint' signs them)",
                  report.unsigned_tail)
            << '\n';
    }
    for (const std::string& note : report.notes) {
        out << _f("checked: {}", for_terminal(note)) << '\n';
    }
    for (const std::string& part : report.unchecked) {
        out << _f("not checked: {}", part) << '\n';
    }
}

void write_verify_json(std::ostream& out, const VerifyReport& report) {
    Json json{{"ok", report.ok},
              {"exit_code", static_cast<int>(verify_exit_code(report))},
              {"entries", report.entries},
              {"checkpoints", report.checkpoints},
              {"unsigned_tail", report.unsigned_tail},
              {"public_key", report.key_used},
              {"fingerprint", report.fingerprint},
              {"key_source", to_string(report.key_source)},
              {"key_from_journal", report.key_from_journal},
              {"origin_proven", !report.key_from_journal},
              {"checked", report.notes},
              {"unchecked", report.unchecked}};
    if (report.paper) {
        // Checked against the paper's size and root alone: no signature.
        json["paper"] = Json{{"size", report.paper->tree_size},
                             {"root", base64_encode(report.paper->root_hash)}};
    }
    if (!report.ok) {
        json["problem"] = report.problem;
    }
    if (report.failed_entry) {
        json["failed_entry"] = *report.failed_entry;
    }
    if (report.failed_checkpoint) {
        json["failed_checkpoint"] = *report.failed_checkpoint;
    }
    write_json(out, json);
}

void write_proof_json(std::ostream& out, const InclusionProof& proof) {
    Json path = Json::array();
    for (const auto& hash : proof.proof) {
        path.push_back(base64_encode(hash));
    }
    write_json(out, Json{{"index", proof.index},
                         {"tree_size", proof.tree_size},
                         {"leaf_hash", base64_encode(proof.leaf_hash)},
                         {"proof", std::move(path)},
                         {"root_hash", base64_encode(proof.root_hash)}});
}

void write_proof_text(std::ostream& out, const InclusionProof& proof) {
    out << _f("entry {} is in the tree of the latest checkpoint ({} entries)", proof.index,
              proof.tree_size)
        << '\n'
        << _f("leaf hash: {}", base64_encode(proof.leaf_hash)) << '\n';
    for (std::size_t i = 0; i < proof.proof.size(); ++i) {
        out << _f("proof {}: {}", i + 1, base64_encode(proof.proof[i])) << '\n';
    }
    out << _f("root hash: {}", base64_encode(proof.root_hash)) << '\n' << '\n';
    out << _f("To check: the root hash must be the third line of a checkpoint you trust of {} "
              "entries (the readiness protocol, 'exam-journal checkpoint'); the leaf hash is "
              "SHA-256 of the byte 0x00 and the entry's line in 'exam-journal export --format "
              "jsonl' (line {}); folding the proof into it as RFC 9162 section 2.1.3.2 says "
              "must give the root. Any RFC 6962 verifier does it from 'prove {} --json'; "
              "docs/journal-format.md does it in a few lines of Python.",
              proof.tree_size, proof.index + 1, proof.index)
        << '\n';
}

void backup_journal(Journal& journal, const std::filesystem::path& target) {
    std::error_code error;
    if (std::filesystem::exists(target, error)) {
        throw StorageError(
            _f("\"{}\" already exists; choose a new file for the backup", target.string()));
    }
    const std::filesystem::path folder =
        target.has_parent_path() ? target.parent_path() : std::filesystem::path{"."};
    const std::filesystem::path temporary =
        folder / ("." + target.filename().string() + ".partial");
    std::filesystem::remove(temporary, error);
    try {
        SQLite::Statement vacuum(journal.database(), "VACUUM INTO ?");
        vacuum.bind(1, temporary.string());
        vacuum.exec();
        {
            SQLite::Database copy(temporary.string(), SQLite::OPEN_READWRITE);
            copy.exec("PRAGMA journal_mode = DELETE");
        }
        ::chmod(temporary.c_str(), 0640);
        sync_file(temporary);  // the copy is on disk before it takes its name
    } catch (const SQLite::Exception& e) {
        std::filesystem::remove(temporary, error);
        throw StorageError(_f("could not write the backup \"{}\": {}", target.string(), e.what()));
    } catch (const Error&) {
        std::filesystem::remove(temporary, error);  // nothing half-written is left behind
        throw;
    }
    if (::link(temporary.c_str(), target.c_str()) != 0) {
        std::filesystem::remove(temporary, error);
        throw StorageError(_f("could not put the backup in place at \"{}\"", target.string()));
    }
    std::filesystem::remove(temporary, error);
    sync_directory(folder);
}

}  // namespace exam
