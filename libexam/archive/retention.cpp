#include <algorithm>
#include <set>

#include <fmt/format.h>

#include <exam/archive/retention.hpp>
#include <exam/journal/site_journal.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

constexpr std::string_view k_retention_reason = "retention";

std::string format_date(std::chrono::year_month_day date) {
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

std::chrono::year_month_day local_date(TimePoint time, const TimeZone& zone) {
    return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(zone.to_local(time))};
}

// `purge --at`: judged at a time a minute or more away from the real clock.
bool shifted(const PurgePlan& plan, TimePoint now) {
    const auto apart = plan.decided_at > now ? plan.decided_at - now : now - plan.decided_at;
    return apart >= std::chrono::minutes{1};
}

std::optional<std::int64_t> active_hold_over(const SegmentRecord& segment,
                                             std::span<const HoldRecord> holds) {
    for (const HoldRecord& hold : holds) {
        if (!hold.active()) {
            continue;
        }
        for (const HoldScope& scope : hold.scopes) {
            if (scope_covers(scope, segment)) {
                return hold.number;
            }
        }
    }
    return std::nullopt;
}

// Writes the run's `purge` entry, or says why it cannot (nothing is deleted then).
void journal_purge(const Site& site, const PurgePlan& plan, const std::string& actor,
                   TimePoint now) {
    SiteJournal journal = open_site_journal(site);
    if (!journal.kept) {
        return;  // this station keeps no journal: nothing is expected and nothing is missed
    }
    if (!journal.journal) {
        throw StorageError(
            _f("the purge's journal entry cannot be written, so nothing was "
               "deleted: {}",
               journal.problem));
    }
    JournalEntry entry;
    entry.kind = EntryKind::purge;
    entry.note = purge_note(plan, now);
    entry.reason = std::string{k_retention_reason};
    entry.actor = actor;
    try {
        journal.journal->append(std::move(entry));
    } catch (const Error& e) {
        throw StorageError(
            _f("the purge's journal entry cannot be written, so nothing was "
               "deleted: {}; make the journal writable (exam-journal verify) and "
               "run the purge again",
               e.what()));
    }
}

}  // namespace

TimePoint kept_until(const SegmentRecord& segment, const TimeZone& zone,
                     std::chrono::month_day keep_until) {
    const auto recorded_on = local_date(segment.started, zone);
    const std::chrono::year_month_day until{recorded_on.year() + std::chrono::years{1},
                                            keep_until.month(), keep_until.day()};
    const LocalTime midnight{std::chrono::local_days{until}.time_since_epoch()};
    if (const auto time = zone.from_local(midnight)) {
        return *time;
    }
    // A clock change at that midnight: the later of the two readings, never earlier.
    const TimePoint as_utc{midnight.time_since_epoch()};
    return as_utc - zone.offset_at(as_utc) + std::chrono::hours{1};
}

bool scope_covers(const HoldScope& scope, const SegmentRecord& segment) {
    if ((scope.room && *scope.room != segment.room) ||
        (scope.camera && *scope.camera != segment.camera)) {
        return false;
    }
    const bool bounded = scope.from || scope.to;
    const bool in_range =
        (!scope.from || segment.ended > *scope.from) && (!scope.to || segment.started < *scope.to);
    const bool of_exam = scope.exam && segment.exam == scope.exam;
    if (bounded) {
        return in_range || of_exam;
    }
    return !scope.exam || of_exam;
}

PurgePlan plan_purge(std::span<const SegmentRecord> segments,
                     std::span<const DeletionRecord> deletions, std::span<const HoldRecord> holds,
                     const TimeZone& zone, std::chrono::month_day keep_until, TimePoint now) {
    std::set<std::string> deleted;
    for (const auto& deletion : deletions) {
        deleted.insert(deletion.file);
    }
    PurgePlan plan;
    plan.decided_at = now;
    for (const SegmentRecord& segment : segments) {
        if (deleted.contains(segment.file)) {
            continue;
        }
        PurgeCandidate candidate{segment, kept_until(segment, zone, keep_until), std::nullopt};
        if (now < candidate.kept_until) {
            ++plan.kept;
            continue;
        }
        candidate.held_by = active_hold_over(segment, holds);
        (candidate.held_by ? plan.held : plan.due).push_back(std::move(candidate));
    }
    const auto by_start = [](const PurgeCandidate& a, const PurgeCandidate& b) {
        return a.segment.started < b.segment.started;
    };
    std::sort(plan.due.begin(), plan.due.end(), by_start);
    std::sort(plan.held.begin(), plan.held.end(), by_start);
    return plan;
}

std::string purge_note(const PurgePlan& plan, TimePoint now) {
    std::string note = fmt::format("files {} bytes {}", plan.due.size(), plan.due_bytes());
    if (!plan.due.empty()) {
        TimePoint from = plan.due.front().segment.started;
        TimePoint to = plan.due.front().segment.ended;
        for (const auto& candidate : plan.due) {
            from = std::min(from, candidate.segment.started);
            to = std::max(to, candidate.segment.ended);
        }
        note += fmt::format(" from {} to {}", format_utc(from), format_utc(to));
    }
    if (shifted(plan, now)) {
        note +=
            fmt::format("; retention judged at {} (shifted clock)", format_utc(plan.decided_at));
    }
    return note;
}

PurgeOutcome carry_out_purge(const Site& site, SegmentIndex& index, const PurgePlan& plan,
                             const std::string& actor, TimePoint now) {
    PurgeOutcome outcome;
    if (plan.due.empty()) {
        return outcome;
    }
    // The journal first: a deletion it does not know of would be a recording gone unexplained.
    journal_purge(site, plan, actor, now);
    for (const PurgeCandidate& candidate : plan.due) {
        const auto file = site.paths.recordings / candidate.segment.file;
        std::error_code error;
        const bool existed = std::filesystem::remove(file, error);
        if (error) {
            outcome.problems.push_back(_f("{}: {}", file.string(), error.message()));
            continue;
        }
        std::string reason =
            fmt::format("{}: kept until {}", k_retention_reason,
                        format_date(local_date(candidate.kept_until, site.timezone)));
        if (!existed) {
            reason += "; the file was already gone";
        }
        if (shifted(plan, now)) {
            reason += fmt::format("; judged at {} (shifted clock)", format_utc(plan.decided_at));
        }
        index.add_deletion({candidate.segment.file, now, std::move(reason), actor});
        ++outcome.deleted;
        outcome.bytes += existed ? candidate.segment.bytes : 0;
    }
    return outcome;
}

}  // namespace exam
