#include <fmt/format.h>

#include <exam/archive/holds.hpp>
#include <exam/archive/retention_report.hpp>
#include <exam/util/byte_size.hpp>
#include <exam/util/table.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

std::string count_files(std::size_t count) {
    return fmt::format(fmt::runtime(_n("{} file", "{} files", count)), count);
}

}  // namespace

void write_purge_plan(std::ostream& out, const PurgePlan& plan, PurgeMode mode,
                      const TimeZone& zone, const Palette& palette) {
    if (!plan.due.empty() || !plan.held.empty()) {
        Table table({{_("FILE")},
                     {_("RECORDED")},
                     {_("KEPT UNTIL")},
                     {_("SIZE"), Align::right},
                     {std::string{}}});
        for (const auto* list : {&plan.due, &plan.held}) {
            for (const PurgeCandidate& candidate : *list) {
                std::string what =
                    mode == PurgeMode::dry_run ? _("would be deleted") : _("deleted");
                Color color = Color::none;
                if (candidate.held_by) {
                    what = _f("kept: hold {}", *candidate.held_by);
                    color = Color::yellow;
                }
                table.add_row({for_terminal(candidate.segment.file),
                               zone.format_for_display(candidate.segment.started),
                               zone.format_for_display(candidate.kept_until),
                               format_byte_size(candidate.segment.bytes),
                               {what, color}});
            }
        }
        table.render(out, palette);
    }
    const std::string size = format_byte_size(plan.due_bytes());
    out << (mode == PurgeMode::dry_run
                ? _f("{} past retention would be deleted ({}); nothing was deleted (--dry-run).",
                     count_files(plan.due.size()), size)
                : _f("{} past retention to delete ({}).", count_files(plan.due.size()), size))
        << '\n';
    out << _f("{} past retention kept by holds; {} within retention.",
              count_files(plan.held.size()), count_files(plan.kept))
        << '\n';
}

void write_holds(std::ostream& out, std::span<const HoldRecord> holds, const TimeZone& zone,
                 const Palette& palette) {
    if (holds.empty()) {
        out << _("No holds: recordings are deleted when their retention ends.") << '\n';
        return;
    }
    Table table({{_("HOLD"), Align::right},
                 {_("SINCE")},
                 {_("BY")},
                 {_("WHAT")},
                 {_("REASON")},
                 {_("RELEASED")}});
    for (const HoldRecord& hold : holds) {
        std::string what;
        for (const HoldScope& scope : hold.scopes) {
            what += what.empty() ? "" : "; ";
            what += describe_scope(scope, zone);
        }
        std::string released;
        if (hold.release) {
            released = _f("{} by {}: {}", zone.format_for_display(hold.release->released_at),
                          hold.release->actor, hold.release->reason);
        }
        table.add_row({std::to_string(hold.number),
                       zone.format_for_display(hold.held_at),
                       for_terminal(hold.actor),
                       for_terminal(what),
                       for_terminal(hold.reason),
                       {for_terminal(released), hold.release ? Color::dim : Color::none}});
    }
    table.render(out, palette);
}

}  // namespace exam
