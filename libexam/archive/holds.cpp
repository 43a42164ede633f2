#include <fmt/format.h>
#include <fmt/ranges.h>

#include <exam/archive/holds.hpp>
#include <exam/core/recording_window.hpp>
#include <exam/journal/site_journal.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

const Room& known_room(const Site& site, const std::string& id) {
    const Room* room = site.find_room(id);
    if (room == nullptr) {
        throw UsageError(_f("room \"{}\" is not in the site file", id) + site.suggest_room(id));
    }
    return *room;
}

const Room& room_of_camera(const Site& site, const std::string& id) {
    for (const Room& room : site.rooms) {
        for (const Camera& camera : room.cameras) {
            if (camera.id == id) {
                return room;
            }
        }
    }
    throw UsageError(_f("camera \"{}\" is not in the site file", id) + site.suggest_camera(id));
}

// The journal entry of a hold or a release: written or StorageError saying what to do.
void journal_entry(const Site& site, JournalEntry entry, std::string_view what) {
    SiteJournal journal = open_site_journal(site);
    if (!journal.kept) {
        return;
    }
    try {
        if (!journal.journal) {
            throw StorageError(journal.problem);
        }
        journal.journal->append(std::move(entry));
    } catch (const Error& e) {
        throw StorageError(_f("the {} was not written to the journal: {}", what, e.what()));
    }
}

// Fixed English words, as every note a program reads back: "hold 3: exam math room 0101".
std::string hold_note(const HoldRecord& hold, std::int64_t number) {
    std::string note = fmt::format("hold {}:", number);
    for (const HoldScope& scope : hold.scopes) {
        note += scope.exam ? " exam " + *scope.exam : "";
        note += scope.room ? " room " + *scope.room : "";
        note += scope.camera ? " camera " + *scope.camera : "";
        if (scope.from && scope.to) {
            note += fmt::format(" from {} to {}", format_utc(*scope.from), format_utc(*scope.to));
        }
        note += ";";
    }
    note.pop_back();
    return note;
}

}  // namespace

HoldRecord hold_from_request(const Site& site, const HoldRequest& request, TimePoint now) {
    if (request.reason.empty()) {
        throw UsageError(
            _("a hold needs a reason (--reason \"appeal of ...\"): it goes into the "
              "journal"));
    }
    HoldRecord hold{.reason = request.reason, .actor = request.actor, .held_at = now};
    if (request.exam) {
        const Exam* exam = site.find_exam(*request.exam);
        if (exam == nullptr) {
            throw UsageError(_f("exam \"{}\" is not in the site file", *request.exam) +
                             site.suggest_exam(*request.exam));
        }
        std::vector<const Room*> rooms;
        for (const auto& id : request.rooms) {
            rooms.push_back(&known_room(site, id));
        }
        if (rooms.empty()) {
            for (const Room& room : site.rooms) {
                rooms.push_back(&room);
            }
        }
        for (const Room* room : rooms) {
            const TimeRange window = recording_window(site, *exam, *room);
            hold.scopes.push_back({exam->id, room->id, std::nullopt, window.from, window.to});
        }
    } else {
        for (const auto& id : request.rooms) {
            hold.scopes.push_back({.room = known_room(site, id).id});
        }
    }
    for (const auto& id : request.cameras) {
        const Room& room = room_of_camera(site, id);
        hold.scopes.push_back({.room = room.id, .camera = id});
    }
    if (hold.scopes.empty()) {
        throw UsageError(
            _("say what to hold: --exam ID (each room's recording window of that "
              "exam), --room ID or --camera ID"));
    }
    return hold;
}

std::string describe_scope(const HoldScope& scope, const TimeZone& zone) {
    std::vector<std::string> parts;
    if (scope.exam) {
        parts.push_back(_f("exam {}", *scope.exam));
    }
    if (scope.camera) {
        parts.push_back(_f("camera {}", *scope.camera));
    } else if (scope.room) {
        parts.push_back(_f("room {}", *scope.room));
    }
    if (scope.from && scope.to) {
        parts.push_back(_f("{} to {}", zone.format_for_display(*scope.from),
                           zone.format_for_display(*scope.to)));
    }
    if (parts.empty()) {
        return _("all recordings");
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

std::int64_t place_hold(const Site& site, const HoldRecord& hold) {
    SegmentIndex index = SegmentIndex::open(site.paths.recordings);
    const std::int64_t number = index.add_hold(hold);
    JournalEntry entry;
    entry.kind = EntryKind::hold;
    entry.exam = hold.scopes.front().exam;
    if (hold.scopes.size() == 1) {
        entry.room = hold.scopes.front().room;
        entry.camera = hold.scopes.front().camera;
    }
    entry.note = hold_note(hold, number);
    entry.reason = hold.reason;
    entry.actor = hold.actor;
    journal_entry(site, std::move(entry), _f("hold {}", number));
    return number;
}

void release_hold(const Site& site, std::int64_t number, const std::string& reason,
                  const std::string& actor, TimePoint now) {
    if (reason.empty()) {
        throw UsageError(
            _("a release needs a reason (--reason \"appeal closed\"): it goes into "
              "the journal"));
    }
    SegmentIndex index = SegmentIndex::open(site.paths.recordings);
    bool active = false;
    for (const HoldRecord& hold : index.holds()) {
        active = active || (hold.number == number && hold.active());
    }
    if (!active) {
        throw UsageError(
            _f("there is no hold {} in force; `exam-camera holds` lists them", number));
    }
    JournalEntry entry;
    entry.kind = EntryKind::release;
    entry.note = fmt::format("hold {}", number);
    entry.reason = reason;
    entry.actor = actor;
    journal_entry(site, std::move(entry), _f("release of hold {}", number));
    index.add_release({number, reason, actor, now});
}

}  // namespace exam
