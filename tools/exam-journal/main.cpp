// exam-journal: the tamper-evident journal of access to the exam point and of every action on
// its equipment.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include <exam/core/roles.hpp>
#include <exam/journal/admission.hpp>
#include <exam/journal/equipment_event.hpp>
#include <exam/journal/journal_report.hpp>
#include <exam/journal/names.hpp>
#include <exam/journal/roster.hpp>
#include <exam/journal/verify.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/sqlite.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "common/terminal_input.hpp"
#include "common/tool.hpp"
#include "exam-journal/desk.hpp"

namespace {

using exam::tool::Tool;

// Options parsed once, read-only afterwards.
struct Options {
    std::string db;     // --db: a journal or backup opened read-only (auditors)
    std::string tz;     // --tz: the zone times are shown and read in
    std::string actor;  // --actor, else $EXAM_ACTOR, else the login name
    bool json = false;
    bool html = false;
    std::string name, role, exam, note, reason, kind, room, camera, since, until, format, output;
    std::string file, public_key, checkpoint_file;
    std::int64_t paper_size = -1;  // verify --size: a checkpoint taken from paper
    std::string paper_root;        // verify --root
    bool admit_anyway = false;
    std::int64_t entry = -1;
};

std::optional<std::string> given(const std::string& value) {
    return value.empty() ? std::nullopt : std::optional<std::string>{value};
}

std::optional<std::string> actor_of(const Options& options) {
    return exam::tool::acting_person(options.actor);
}

// Auditors' copies through --db; everything else works on the site's own journal.
exam::Journal open_for_reading(const Tool& tool, const Options& options) {
    if (!options.db.empty()) {
        return exam::Journal::open_read_only(options.db);
    }
    return exam::Journal::open_read_only(tool.load_site().paths.journal);
}

exam::Journal open_for_writing(const exam::Site& site, const Options& options,
                               std::string_view command) {
    if (!options.db.empty()) {
        throw exam::UsageError(
            _f("'{}' writes to the journal; --db opens a copy read-only for auditing, "
               "so leave it out",
               command));
    }
    return exam::Journal::open(site);
}

// The zone times are shown and typed in: --tz, else the site's, else UTC for an auditor's copy
// read without a site file. Every time shown carries its zone's label, so none is ambiguous.
exam::TimeZone zone_of(const Tool& tool, const Options& options) {
    if (!options.tz.empty()) {
        return exam::time_zone_from_option(options.tz, "--tz");
    }
    const std::optional<exam::Site> site = tool.load_site_if_any();
    return site ? site->timezone : *exam::TimeZone::find("UTC");
}

// The journal a command works on, for messages about the file itself.
std::filesystem::path journal_file(const Tool& tool, const Options& options) {
    return options.db.empty() ? tool.load_site().paths.journal : std::filesystem::path{options.db};
}

// A command on the journal: what SQLite reports while it reads or writes (a copy cut short or
// overwritten) becomes the StorageError that says the file is damaged and what to do, through
// util/sqlite's one mapping, never an internal error.
template <typename Command>
std::function<int()> on_journal(const Tool& tool, const Options& options, Command command) {
    return [&tool, &options, command] {
        try {
            return command();
        } catch (const SQLite::Exception& e) {
            throw exam::database_error(journal_file(tool, options), e);
        }
    };
}

std::string read_document_or_fail() {
    const auto document = exam::tool::read_secret_line(_("Document number: "));
    if (!document || document->empty()) {
        throw exam::InputError(
            _("no document number was given: type it at the prompt, or send it on "
              "standard input (never as an argument)"));
    }
    return *document;
}

int init(const Tool& tool) {
    const exam::Site site = tool.load_site();
    const exam::VerifierKey key = exam::Journal::initialize(site);
    std::cerr
        << _f("created the journal {} and its keys in {}", site.paths.journal.string(),
              site.paths.keys.string())
        << '\n'
        << _("The exam point's public key (write it on the readiness protocol; auditors pass it to "
             "'exam-journal verify --public-key'):")
        << '\n';
    std::cout << key.to_text() << '\n';
    std::cout.flush();
    std::cerr << _f("fingerprint: {}", key.fingerprint()) << '\n'
              << _("(the key's fingerprint: read it aloud to compare the key on paper and on "
                   "screen)")
              << '\n';
    return 0;
}

int enter(const Tool& tool, const Options& options) {
    const exam::Site site = tool.load_site();
    exam::Journal journal = open_for_writing(site, options, "enter");
    if (options.admit_anyway && options.reason.empty()) {
        throw exam::UsageError(_("--admit-anyway needs --reason saying why"));
    }
    exam::AdmissionRequest request{
        .name = options.name,
        .role = options.role,
        .exam = exam::resolve_exam(site, given(options.exam), exam::now()),
        .document = read_document_or_fail(),
        .note = given(options.note),
        .admit_anyway_reason = options.admit_anyway ? given(options.reason) : std::nullopt,
        .actor = actor_of(options)};
    const exam::AdmissionResult result = exam::admit(journal, site, request);
    journal.close();
    switch (result.outcome) {
        case exam::AdmissionOutcome::denied:
            std::cout
                << _f("REFUSED: {} ({}): {}. Recorded as entry {}.",
                      exam::for_terminal(result.entry.name.value_or("")),
                      exam::for_terminal(result.entry.role.value_or("")),
                      exam::for_terminal(result.explanation), result.entry.seq)
                << '\n'
                << _("To admit anyway, run the same command with --admit-anyway --reason TEXT.")
                << '\n';
            return static_cast<int>(exam::ExitCode::negative);
        case exam::AdmissionOutcome::admitted_override:
            std::cout << _f("ADMITTED ANYWAY: {} ({}), entry {}; the override is recorded ({}).",
                            exam::for_terminal(result.entry.name.value_or("")),
                            exam::for_terminal(result.entry.role.value_or("")), result.entry.seq,
                            exam::for_terminal(result.explanation))
                      << '\n';
            return 0;
        case exam::AdmissionOutcome::admitted_exempt:
        case exam::AdmissionOutcome::admitted:
            std::cout << _f("ADMITTED: {} ({}), entry {}.",
                            exam::for_terminal(result.entry.name.value_or("")),
                            exam::for_terminal(result.entry.role.value_or("")), result.entry.seq)
                      << '\n';
            return 0;
    }
    return 0;
}

int leave(const Tool& tool, const Options& options) {
    const exam::Site site = tool.load_site();
    exam::Journal journal = open_for_writing(site, options, "exit");
    if (options.name.empty() == (options.entry < 0)) {
        throw exam::UsageError(
            _("say who is leaving with exactly one of --name NAME or --entry ID"));
    }
    const exam::JournalEntry entry = exam::record_exit(
        journal,
        exam::ExitRequest{
            .name = given(options.name),
            .entry = options.entry >= 0
                         ? std::optional<std::uint64_t>{static_cast<std::uint64_t>(options.entry)}
                         : std::nullopt,
            .read_document = read_document_or_fail,
            .note = given(options.note),
            .actor = actor_of(options)});
    journal.close();
    std::cout << _f("EXIT recorded: {}, entry {}.", exam::for_terminal(entry.name.value_or("")),
                    entry.seq)
              << '\n';
    return 0;
}

int event(const Tool& tool, const Options& options) {
    const exam::Site site = tool.load_site();
    const exam::JournalEntry draft = exam::equipment_event(
        site, {.kind = options.kind,
               .room = given(options.room),
               .camera = given(options.camera),
               .exam = exam::resolve_exam(site, given(options.exam), exam::now()),
               .note = given(options.note),
               .actor = actor_of(options)});
    exam::Journal journal = open_for_writing(site, options, "event");
    const exam::JournalEntry entry = journal.append(draft);
    journal.close();
    std::cout << _f("recorded {} as entry {}", options.kind, entry.seq) << '\n';
    return 0;
}

int list(const Tool& tool, const Options& options) {
    exam::Journal journal = open_for_reading(tool, options);
    // An auditor reading a copy with --db may have no site file: times are then in UTC or --tz.
    const std::optional<exam::Site> site = tool.load_site_if_any();
    const exam::TimeZone zone = zone_of(tool, options);
    // A PPE-07 title ("член ГЭК") finds the entries of its role id.
    const std::optional<std::string> role =
        options.role.empty() ? std::nullopt : exam::role_from_text(options.role);
    if (!options.role.empty() && !role) {
        throw exam::UsageError(exam::unknown_role_text(options.role));  // else it lists nothing
    }
    exam::EntryFilter filter{.exam = given(options.exam),
                             .role = role,
                             .name = given(options.name),
                             .room = given(options.room),
                             .equipment_only = options.html};
    if (!options.since.empty()) {
        filter.since = exam::parse_command_line_time(options.since, zone, exam::now());
    }
    if (!options.until.empty()) {
        filter.until = exam::parse_command_line_time(options.until, zone, exam::now());
    }
    if (!options.kind.empty()) {
        filter.kind = exam::entry_kind_from_string(options.kind);
        if (!filter.kind) {
            throw exam::UsageError(_f("unknown kind \"{}\"", options.kind));
        }
    }
    const auto entries = exam::list_entries(journal, filter);
    if (options.html) {
        exam::write_equipment_journal_html(std::cout, journal, entries, zone,
                                           site ? site->name : "");
    } else if (options.json) {
        exam::write_entries_json(std::cout, entries);
    } else {
        exam::write_entries_text(std::cout, entries, zone, tool.stdout_palette());
    }
    return 0;
}

int inside(const Tool& tool, const Options& options) {
    exam::Journal journal = open_for_reading(tool, options);
    const auto people = exam::people_inside(journal);
    if (options.json) {
        exam::write_inside_json(std::cout, people);
    } else {
        exam::write_inside_text(std::cout, people, zone_of(tool, options), exam::now(),
                                tool.stdout_palette());
    }
    return 0;
}

int export_entries(const Tool& tool, const Options& options) {
    exam::Journal journal = open_for_reading(tool, options);
    const auto write = [&](std::ostream& out) {
        if (options.format == "csv") {
            exam::write_entries_csv(out, journal);
        } else {
            exam::write_entries_jsonl(out, journal);
        }
    };
    if (options.output.empty()) {
        write(std::cout);
        std::cout.flush();
        if (!std::cout) {
            throw exam::StorageError(_("writing the export to standard output failed"));
        }
        return 0;
    }
    // Personal data: the export file gets the journal's own restrictive mode, and appears
    // whole or not at all.
    exam::AtomicFileWriter file{options.output, 0640};
    write(file.stream());
    file.commit();
    return 0;
}

int checkpoint(const Tool& tool, const Options& options) {
    exam::Journal journal = open_for_reading(tool, options);
    const auto latest = journal.latest_checkpoint();
    if (!latest) {
        throw exam::InputError(_("the journal has no checkpoint yet: nothing has been recorded"));
    }
    if (options.json) {
        exam::write_checkpoint_json(std::cout, *latest, journal.stored_public_key());
    } else {
        std::cout << exam::for_terminal(latest->note, true);
    }
    return 0;
}

int verify(const Tool& tool, const Options& options) {
    exam::Journal journal = open_for_reading(tool, options);
    exam::VerifyOptions verify_options;
    if (!options.public_key.empty()) {
        verify_options.public_key = exam::VerifierKey::parse(options.public_key);
        if (!verify_options.public_key) {
            throw exam::UsageError(
                _f("\"{}\" is not a public key: expected the form name+keyid+base64 that "
                   "'exam-journal init' printed",
                   options.public_key));
        }
    }
    if (!options.checkpoint_file.empty()) {
        verify_options.external_checkpoint =
            exam::read_text_file(options.checkpoint_file, _("the checkpoint"));
    }
    if ((options.paper_size >= 0) != !options.paper_root.empty()) {
        throw exam::UsageError(
            _("a checkpoint from paper needs both its size and its root: --size N --root B64"));
    }
    if (options.paper_size >= 0) {
        const auto root = exam::base64_decode(options.paper_root);
        if (!root || root->size() != exam::merkle::Hash{}.size()) {
            throw exam::UsageError(
                _f("--root \"{}\" is not a root hash: expected the base64 of 32 bytes, as the "
                   "third line of a checkpoint (44 characters ending in '=')",
                   options.paper_root));
        }
        exam::PaperCheckpoint paper{.tree_size = static_cast<std::uint64_t>(options.paper_size)};
        std::copy(root->begin(), root->end(), paper.root_hash.begin());
        verify_options.paper_checkpoint = paper;
    }
    // Without a key given, the exam point's own key vouches for its journal (a copy's too).
    if (!verify_options.public_key) {
        if (const std::optional<exam::Site> site = tool.load_site_if_any()) {
            verify_options.site_key = exam::site_public_key(*site, verify_options.site_key_problem);
        }
    }
    const exam::VerifyReport report = exam::verify_journal(journal, verify_options);
    if (options.json) {
        exam::write_verify_json(std::cout, report);
    } else {
        exam::write_verify_text(std::cout, report, tool.stdout_palette());
    }
    return static_cast<int>(exam::verify_exit_code(report));
}

int prove(const Tool& tool, const Options& options) {
    exam::Journal journal = open_for_reading(tool, options);
    const exam::InclusionProof proof =
        exam::prove_inclusion(journal, static_cast<std::uint64_t>(options.entry));
    if (options.json) {
        exam::write_proof_json(std::cout, proof);
    } else {
        exam::write_proof_text(std::cout, proof);
    }
    return 0;
}

int backup(const Tool& tool, const Options& options) {
    exam::Journal journal = open_for_reading(tool, options);
    exam::backup_journal(journal, options.file);
    std::cerr << _f("wrote a consistent copy of the journal to {}; open it with --db {}",
                    options.file, options.file)
              << '\n';
    return 0;
}

int roster_import(const Tool& tool, const Options& options) {
    const exam::Site site = tool.load_site();
    exam::Journal journal = open_for_writing(site, options, "roster import");
    const exam::RosterImport imported =
        exam::import_roster(journal, site, options.file, actor_of(options));
    journal.close();
    for (const std::string& note : imported.notes) {
        std::cerr << "exam-journal: " << _("note: ") << exam::for_terminal(note) << '\n';
    }
    std::cout << _f("imported {} people from {}", imported.people, options.file) << '\n';
    return 0;
}

int roster_list(const Tool& tool, const Options& options) {
    exam::Journal journal = open_for_reading(tool, options);
    const exam::RosterListing roster = exam::read_roster(journal);
    if (options.json) {
        exam::write_roster_json(std::cout, roster);
    } else {
        exam::write_roster_text(std::cout, roster, zone_of(tool, options), tool.stdout_palette());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Tool tool("exam-journal",
              _("The tamper-evident journal of access to the exam point and of every action on its "
                "equipment."));
    Options options;
    CLI::App& app = tool.app();
    app.add_option("--db", options.db, _("Open this journal or backup read-only, for auditing"))
        ->type_name("FILE");
    app.add_option("--actor", options.actor,
                   _("Who is acting (default: $EXAM_ACTOR, else the login name)"))
        ->type_name("NAME");
    app.add_option("--tz", options.tz,
                   _("Show times in this IANA timezone, and read local times in it (default: the "
                     "site's, else UTC)"))
        ->type_name("ZONE");

    tool.add_command("init",
                     _("Create the journal and the exam point's keys; print the public key"),
                     [&] { return init(tool); });

    auto* roster = tool.add_command("roster", _("Manage the staff list (form PPE-07)"), [&] {
        throw exam::UsageError(
            _("say what to do with the staff list: 'exam-journal roster import FILE' or "
              "'exam-journal roster list'"));
        return 0;
    });
    auto* import = tool.add_command(
        "import",
        _("Replace the staff list with a CSV file (name, role, document, exam; ';', ',' or tab "
          "separated; UTF-8, Windows-1251 or UTF-16)"),
        on_journal(tool, options, [&] { return roster_import(tool, options); }), roster);
    import->add_option("FILE", options.file, _("The staff list"))->required();
    auto* roster_list_command = tool.add_command(
        "list", _("Show who is on the staff list: name, role, last 4 of the document, exam"),
        on_journal(tool, options, [&] { return roster_list(tool, options); }), roster);
    roster_list_command->add_flag("--json", options.json, _("Print as JSON"));

    auto* enter_command =
        tool.add_command("enter",
                         _("Admit a person on the staff list; the document "
                           "number is read from the terminal or stdin"),
                         on_journal(tool, options, [&] { return enter(tool, options); }));
    enter_command->add_option("--name", options.name, _("Full name"))->required();
    enter_command
        ->add_option("--role", options.role,
                     _("Role: head, commission, technician, ... or its title on form PPE-07, "
                       "such as \"член ГЭК\""))
        ->required();
    enter_command->add_option("--exam", options.exam,
                              _("Exam id (default: the site's only exam today)"));
    enter_command->add_option("--note", options.note, _("A note to record"));
    enter_command->add_flag("--admit-anyway", options.admit_anyway,
                            _("Admit someone not on the staff list"));
    enter_command->add_option("--reason", options.reason, _("Why the person is admitted anyway"));

    auto* exit_command =
        tool.add_command("exit", _("Record that a person left"),
                         on_journal(tool, options, [&] { return leave(tool, options); }));
    exit_command->add_option("--name", options.name, _("Full name of the person leaving"));
    exit_command->add_option("--entry", options.entry, _("The entry number of their admission"));
    exit_command->add_option("--note", options.note, _("A note to record"));

    auto* inside_command =
        tool.add_command("inside", _("Show who is inside now, with counts per role"),
                         on_journal(tool, options, [&] { return inside(tool, options); }));
    inside_command->add_flag("--json", options.json, _("Print as JSON"));

    auto* desk = tool.add_command(
        "desk", _("Entrance mode: scan documents; y and Enter admits or lets out, Ctrl-D closes"),
        on_journal(tool, options, [&] {
            const exam::Site site = tool.load_site();
            exam::Journal journal = open_for_writing(site, options, "desk");
            return exam::tool::run_entrance_desk(
                journal, site, exam::resolve_exam(site, given(options.exam), exam::now()),
                actor_of(options));
        }));
    desk->add_option("--exam", options.exam, _("Exam id (default: the site's only exam today)"));

    auto* event_command =
        tool.add_command("event", _("Record an action on the video equipment"),
                         on_journal(tool, options, [&] { return event(tool, options); }));
    event_command
        ->add_option(
            "--kind", options.kind,
            _("operability-check, recording-start, recording-stop, angle-correction, card-out, "
              "card-in, export, hold, release, purge or other"))
        ->required();
    event_command->add_option("--room", options.room, _("Room id"));
    event_command->add_option("--camera", options.camera, _("Camera id"));
    event_command->add_option("--exam", options.exam,
                              _("Exam id (default: the site's only exam today)"));
    event_command->add_option("--note", options.note, _("A note to record"));

    auto* list_command =
        tool.add_command("list", _("List entries, filtered"),
                         on_journal(tool, options, [&] { return list(tool, options); }));
    list_command->add_option("--exam", options.exam, _("Only this exam"));
    list_command->add_option(
        "--since", options.since,
        _("From this time (RFC 3339, or a local time in the zone shown: --tz, the site's or UTC)"));
    list_command->add_option("--until", options.until, _("Before this time (read as --since)"));
    list_command->add_option("--role", options.role,
                             _("Only this role (an id or its PPE-07 title)"));
    list_command->add_option("--name", options.name, _("Only this person"));
    list_command->add_option("--kind", options.kind, _("Only this kind of entry"));
    list_command->add_option("--room", options.room, _("Only this room"));
    list_command->add_flag("--json", options.json, _("Print as JSON"));
    list_command->add_flag(
        "--html", options.html,
        _("Print the equipment events as the printable journal of access to video equipment"));

    auto* export_command =
        tool.add_command("export", _("Export every entry as CSV or as JSONL leaf bytes"),
                         on_journal(tool, options, [&] { return export_entries(tool, options); }));
    export_command->add_option("--format", options.format, _("csv or jsonl"))
        ->required()
        ->check(CLI::IsMember({"csv", "jsonl"}));
    export_command
        ->add_option("-o,--output", options.output, _("Write to this file instead of stdout"))
        ->type_name("FILE");

    auto* checkpoint_command =
        tool.add_command("checkpoint", _("Print the latest signed checkpoint"),
                         on_journal(tool, options, [&] { return checkpoint(tool, options); }));
    checkpoint_command->add_flag("--json", options.json, _("Print as JSON"));

    auto* verify_command =
        tool.add_command("verify", _("Recompute every leaf, the tree and every checkpoint"),
                         on_journal(tool, options, [&] { return verify(tool, options); }));
    verify_command->add_option("--public-key", options.public_key,
                               _("The exam point's public key to trust"));
    verify_command
        ->add_option("--checkpoint", options.checkpoint_file,
                     _("A checkpoint kept outside the journal: prove the journal still holds it"))
        ->type_name("FILE");
    verify_command
        ->add_option("--size", options.paper_size,
                     _("A checkpoint taken from paper by its size and root (no signature): the "
                       "number of entries it covers"))
        ->type_name("N")
        ->check(exam::tool::whole_number_at_least(0));
    verify_command
        ->add_option("--root", options.paper_root,
                     _("The paper checkpoint's root hash, in base64 as printed"))
        ->type_name("B64");
    verify_command->add_flag("--json", options.json, _("Print as JSON"));

    auto* prove_command = tool.add_command(
        "prove", _("Print an inclusion proof of an entry in the latest checkpoint"),
        on_journal(tool, options, [&] { return prove(tool, options); }));
    prove_command->add_option("ID", options.entry, _("The entry number"))->required();
    prove_command->add_flag("--json", options.json, _("Print as JSON"));

    auto* backup_command =
        tool.add_command("backup", _("Write a consistent copy that opens on read-only media"),
                         on_journal(tool, options, [&] { return backup(tool, options); }));
    backup_command->add_option("FILE", options.file, _("The copy to write"))->required();

    return tool.run(argc, argv);
}
