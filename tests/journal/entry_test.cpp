#include <algorithm>

#include <gtest/gtest.h>

#include <exam/journal/entry.hpp>
#include <exam/util/error.hpp>

using namespace std::chrono;

namespace {

exam::JournalEntry sample() {
    exam::JournalEntry entry;
    entry.seq = 7;
    entry.time = sys_days{year{2026} / June / day{1}} + hours{6} + minutes{5} + milliseconds{42};
    entry.kind = exam::EntryKind::enter;
    entry.region = "01";
    entry.ppe = "0042";
    entry.name = "Ёлкина Анна";
    entry.role = "technician";
    return entry;
}

}  // namespace

TEST(LeafBytes, AreCanonicalJsonWithSortedKeysAndNoWhitespace) {
    EXPECT_EQ(
        exam::leaf_bytes(sample()),
        R"({"kind":"enter","name":"Ёлкина Анна","ppe":"0042","region":"01","role":"technician",)"
        R"("seq":7,"time":"2026-06-01T06:05:00.042Z","v":1})");
}

TEST(LeafBytes, OmitAbsentFieldsAndKeepCodesAsStrings) {
    auto entry = sample();
    entry.name.reset();
    entry.role.reset();
    entry.note = "";
    const std::string bytes = exam::leaf_bytes(entry);
    EXPECT_EQ(bytes.find("null"), std::string::npos);
    EXPECT_EQ(bytes.find("\"name\""), std::string::npos);
    EXPECT_NE(bytes.find(R"("note":"")"), std::string::npos);  // present though empty
    EXPECT_NE(bytes.find(R"("region":"01")"), std::string::npos);
}

TEST(LeafBytes, EscapeOnlyWhatRfc8785Escapes) {
    auto entry = sample();
    entry.note = "quote \" backslash \\ tab \t newline \n bell \x07 slash / euro €";
    EXPECT_NE(exam::leaf_bytes(entry).find(
                  R"("note":"quote \" backslash \\ tab \t newline \n bell \u0007 slash / euro €")"),
              std::string::npos);
}

TEST(EntryKind, SpellingsRoundTrip) {
    for (const auto kind :
         {exam::EntryKind::enter, exam::EntryKind::denied, exam::EntryKind::recording_start,
          exam::EntryKind::card_out, exam::EntryKind::export_video, exam::EntryKind::segment,
          exam::EntryKind::hold, exam::EntryKind::release, exam::EntryKind::purge}) {
        EXPECT_EQ(exam::entry_kind_from_string(exam::to_string(kind)), kind);
    }
    EXPECT_FALSE(exam::entry_kind_from_string("party").has_value());
}

TEST(EntryKind, RetentionKindsAreEquipmentEventsSpelledPlainly) {
    EXPECT_EQ(exam::to_string(exam::EntryKind::hold), "hold");
    EXPECT_EQ(exam::to_string(exam::EntryKind::release), "release");
    EXPECT_EQ(exam::to_string(exam::EntryKind::purge), "purge");
    const auto names = exam::equipment_event_names();
    for (const std::string_view kind : {"export", "hold", "release", "purge"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), kind), names.end()) << kind;
    }
}

TEST(EntryKind, RecordingServiceKindsAreEquipmentEventsSpelledPlainly) {
    EXPECT_EQ(exam::to_string(exam::EntryKind::recording_gap), "recording-gap");
    EXPECT_EQ(exam::to_string(exam::EntryKind::alarm_end), "alarm-end");
    const auto names = exam::equipment_event_names();
    for (const std::string_view kind : {"recording-gap", "alarm", "alarm-end", "snapshot"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), kind), names.end()) << kind;
        EXPECT_TRUE(exam::entry_kind_from_string(kind).has_value()) << kind;
    }
}

TEST(RequireUtf8, RejectsInvalidSequences) {
    EXPECT_NO_THROW(exam::require_utf8("Пётр 😀", "name"));
    for (const char* bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xd0"}) {
        EXPECT_THROW(exam::require_utf8(bad, "name"), exam::InputError) << bad;
    }
}
