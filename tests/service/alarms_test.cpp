#include <csignal>
#include <fstream>
#include <map>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <exam/core/site_loader.hpp>
#include <exam/service/alarms.hpp>

#include "support/temp_dir.hpp"

using namespace std::chrono;

namespace {

namespace fs = std::filesystem;
using exam::AlarmKind;

const exam::TimePoint k_t0 = sys_days{year{2026} / June / 1} + hours{7};

// What was seen, the same in both languages.
exam::RecordedText said(const std::string& what) {
    return {what, what};
}

// Polls for what a child process does, up to a deadline far beyond what it needs.
template <typename Condition>
bool eventually(Condition condition, seconds deadline = seconds{20}) {
    const auto until = steady_clock::now() + deadline;
    while (!condition()) {
        if (steady_clock::now() > until) {
            return false;
        }
        std::this_thread::yield();
        std::this_thread::sleep_for(milliseconds{5});  // a poll's pause, not a synchronisation
    }
    return true;
}

std::map<std::string, std::string> read_environment(const fs::path& file) {
    std::map<std::string, std::string> variables;
    std::ifstream in{file};
    for (std::string line; std::getline(in, line);) {
        const auto equals = line.find('=');
        variables[line.substr(0, equals)] = line.substr(equals + 1);
    }
    return variables;
}

fs::path script(const exam::testing::TempDir& temp, const std::string& name,
                const std::string& body) {
    const fs::path file = temp.write(name, "#!/bin/sh\n" + body);
    fs::permissions(file, fs::perms::owner_all);
    return file;
}

exam::Site site_with_labels() {
    return exam::parse_site(R"(ppe_code = "0042"
region = "77"
name = "School"
timezone = "Europe/Moscow"
[[room]]
id = "0101"
label = "Аудитория 0101"
  [[room.camera]]
  id = "0101-front"
  uri = "test:"
  label = "Передняя"
)",
                            "/srv/exam/site.toml");
}

exam::AlarmEvent gap_event(bool raised) {
    return {"0101-front",
            "0101",
            AlarmKind::gap,
            raised,
            k_t0,
            k_t0 + seconds{75},
            said("no picture for 75s; the camera refuses connections")};
}

}  // namespace

// --- AlarmTracker

TEST(AlarmTracker, AConditionShorterThanTheThresholdRaisesNothing) {
    exam::AlarmTracker tracker{seconds{60}};
    EXPECT_TRUE(tracker.observe("c1", "0101", AlarmKind::gap, true, said("gap"), k_t0).empty());
    EXPECT_TRUE(
        tracker.observe("c1", "0101", AlarmKind::gap, true, said("gap"), k_t0 + 59s).empty());
    EXPECT_TRUE(tracker.observe("c1", "0101", AlarmKind::gap, false, said(""), k_t0 + 59s).empty());
    EXPECT_TRUE(tracker.active().empty());
    // A new condition counts from its own start, not the earlier one's.
    EXPECT_TRUE(
        tracker.observe("c1", "0101", AlarmKind::gap, true, said("gap"), k_t0 + 61s).empty());
    EXPECT_TRUE(
        tracker.observe("c1", "0101", AlarmKind::gap, true, said("gap"), k_t0 + 120s).empty());
}

TEST(AlarmTracker, AConditionThatLastsIsRaisedOnceAndItsEndIsReported) {
    exam::AlarmTracker tracker{seconds{60}};
    EXPECT_TRUE(
        tracker.observe("c1", "0101", AlarmKind::picture, true, said("black"), k_t0).empty());
    EXPECT_TRUE(
        tracker.observe("c1", "0101", AlarmKind::picture, true, said("black"), k_t0 + 59999ms)
            .empty());
    const auto raised =
        tracker.observe("c1", "0101", AlarmKind::picture, true, said("covered"), k_t0 + 60s);
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0], (exam::AlarmEvent{"c1", "0101", AlarmKind::picture, true, k_t0, k_t0 + 60s,
                                           said("covered")}));
    EXPECT_TRUE(
        tracker.observe("c1", "0101", AlarmKind::picture, true, said("black"), k_t0 + 90s).empty());
    ASSERT_EQ(tracker.active().size(), 1u);
    EXPECT_EQ(tracker.active()[0].detail.shown, "black");  // the latest observation
    EXPECT_EQ(tracker.active()[0].at, k_t0 + 60s);         // when it was raised

    const auto ended =
        tracker.observe("c1", "0101", AlarmKind::picture, false, said(""), k_t0 + 100s);
    ASSERT_EQ(ended.size(), 1u);
    EXPECT_EQ(ended[0], (exam::AlarmEvent{"c1", "0101", AlarmKind::picture, false, k_t0,
                                          k_t0 + 100s, said("black")}));
    EXPECT_TRUE(tracker.active().empty());
    EXPECT_TRUE(
        tracker.observe("c1", "0101", AlarmKind::picture, false, said(""), k_t0 + 101s).empty());
}

TEST(AlarmTracker, CamerasAndKindsAreTrackedApart) {
    exam::AlarmTracker tracker{seconds{10}};
    (void)tracker.observe("c1", "0101", AlarmKind::gap, true, said("gap"), k_t0);
    (void)tracker.observe("c1", "0101", AlarmKind::sound, true, said("silent"), k_t0 + 5s);
    (void)tracker.observe("c2", "0102", AlarmKind::gap, true, said("gap"), k_t0 + 5s);
    EXPECT_EQ(tracker.observe("c1", "0101", AlarmKind::gap, true, said("gap"), k_t0 + 10s).size(),
              1u);
    EXPECT_TRUE(
        tracker.observe("c1", "0101", AlarmKind::sound, true, said("s"), k_t0 + 10s).empty());
    const auto both = tracker.observe("c2", "0102", AlarmKind::gap, true, said("gap"), k_t0 + 15s);
    ASSERT_EQ(both.size(), 1u);
    EXPECT_EQ(both[0].room, "0102");
    EXPECT_EQ(tracker.active().size(), 2u);
}

TEST(AlarmTracker, AZeroThresholdRaisesAtOnce) {
    exam::AlarmTracker tracker{milliseconds{0}};
    EXPECT_EQ(tracker.observe("c1", "0101", AlarmKind::gap, true, said("gap"), k_t0).size(), 1u);
}

TEST(AlarmKind, NamesReadBack) {
    for (const AlarmKind kind : {AlarmKind::gap, AlarmKind::picture, AlarmKind::sound}) {
        EXPECT_EQ(exam::alarm_kind_named(exam::to_string(kind)), kind);
    }
    EXPECT_EQ(exam::to_string(AlarmKind::picture), "picture");
    EXPECT_EQ(exam::alarm_kind_named("fire"), std::nullopt);
}

// --- AlarmNotifier, with real scripts

TEST(AlarmNotifier, TheCommandGetsTheAlarmInItsEnvironmentWhenRaisedAndWhenEnded) {
    const exam::testing::TempDir temp;
    const fs::path notify = script(temp, "notify.sh",
                                   "env | grep '^EXAM_' > \"$1.$EXAM_ALARM_STATE.part\"\n"
                                   "mv \"$1.$EXAM_ALARM_STATE.part\" \"$1.$EXAM_ALARM_STATE\"\n");
    const std::string out = (temp / "alarm").string();
    const exam::Site site = site_with_labels();
    exam::AlarmNotifier notifier{{notify.string(), out}};

    EXPECT_EQ(notifier.notify(gap_event(true), site), std::nullopt);
    ASSERT_TRUE(eventually([&] { return fs::exists(out + ".raised"); }));
    const auto raised = read_environment(out + ".raised");
    EXPECT_EQ(raised.at("EXAM_ALARM_STATE"), "raised");
    EXPECT_EQ(raised.at("EXAM_ALARM_KIND"), "gap");
    EXPECT_EQ(raised.at("EXAM_ALARM_CAMERA"), "0101-front");
    EXPECT_EQ(raised.at("EXAM_ALARM_CAMERA_LABEL"), "Передняя");
    EXPECT_EQ(raised.at("EXAM_ALARM_ROOM"), "0101");
    EXPECT_EQ(raised.at("EXAM_ALARM_ROOM_LABEL"), "Аудитория 0101");
    EXPECT_EQ(raised.at("EXAM_ALARM_SINCE"), "2026-06-01T07:00:00.000Z");
    EXPECT_EQ(raised.at("EXAM_ALARM_AT"), "2026-06-01T07:01:15.000Z");
    EXPECT_EQ(raised.at("EXAM_ALARM_DETAIL"), "no picture for 75s; the camera refuses connections");
    EXPECT_EQ(raised.at("EXAM_PPE"), "0042");
    EXPECT_EQ(raised.at("EXAM_REGION"), "77");

    EXPECT_EQ(notifier.notify(gap_event(false), site), std::nullopt);
    ASSERT_TRUE(eventually([&] { return fs::exists(out + ".ended"); }));
    EXPECT_EQ(read_environment(out + ".ended").at("EXAM_ALARM_STATE"), "ended");
    EXPECT_TRUE(notifier.take_problems().empty());
}

TEST(AlarmNotifier, NotifyDoesNotWaitForTheCommandToFinish) {
    const exam::testing::TempDir temp;
    // The script waits for the test's word before it finishes: a notify() that waited for it
    // would never return to give that word.
    const fs::path notify = script(temp, "slow.sh",
                                   "i=0\nwhile [ ! -e \"$1.go\" ] && [ $i -lt 2000 ]; do\n"
                                   "  sleep 0.01; i=$((i+1))\ndone\ntouch \"$1.done\"\n");
    const std::string out = (temp / "slow").string();
    exam::AlarmNotifier notifier{{notify.string(), out}};
    EXPECT_EQ(notifier.notify(gap_event(true), site_with_labels()), std::nullopt);
    EXPECT_FALSE(fs::exists(out + ".done"));
    std::ofstream{out + ".go"};
    EXPECT_TRUE(eventually([&] { return fs::exists(out + ".done"); }));
}

TEST(AlarmNotifier, ACommandThatCannotStartIsSaidAtOnceNotThrown) {
    exam::AlarmNotifier missing{{"/nonexistent/alarm-to-phone", "--now"}};
    const auto problem = missing.notify(gap_event(true), site_with_labels());
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->find("/nonexistent/alarm-to-phone"), std::string::npos) << *problem;

    const exam::testing::TempDir temp;
    const fs::path not_executable = temp.write("alarm.sh", "#!/bin/sh\n");
    exam::AlarmNotifier refused{{not_executable.string()}};
    EXPECT_TRUE(refused.notify(gap_event(true), site_with_labels()));
    // No command: nothing to run, nothing wrong.
    exam::AlarmNotifier none{{}};
    EXPECT_EQ(none.notify(gap_event(true), site_with_labels()), std::nullopt);
}

TEST(AlarmNotifier, AFailingCommandIsReportedAfterItEnds) {
    const exam::testing::TempDir temp;
    const fs::path failing = script(temp, "fail.sh", "echo 'the modem is off' >&2\nexit 3\n");
    exam::AlarmNotifier notifier{{failing.string()}};
    EXPECT_EQ(notifier.notify(gap_event(true), site_with_labels()), std::nullopt);
    std::vector<std::string> problems;
    ASSERT_TRUE(eventually([&] {
        for (std::string& problem : notifier.take_problems()) {
            problems.push_back(std::move(problem));
        }
        return !problems.empty();
    }));
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("exited with 3: the modem is off"), std::string::npos)
        << problems[0];
}

TEST(AlarmNotifier, ACommandThatHangsIsKilledAtItsDeadline) {
    const exam::testing::TempDir temp;
    const std::string pid_file = (temp / "pid").string();
    const fs::path hangs = script(temp, "hang.sh", "echo $$ > \"$1\"\nexec sleep 600\n");
    exam::AlarmNotifier notifier{{hangs.string(), pid_file}, milliseconds{300}};
    EXPECT_EQ(notifier.notify(gap_event(true), site_with_labels()), std::nullopt);
    ASSERT_TRUE(eventually([&] {
        return fs::exists(pid_file) && exam::testing::read_file(pid_file).ends_with("\n");
    }));
    const pid_t pid = std::stoi(exam::testing::read_file(pid_file));
    std::vector<std::string> problems;
    ASSERT_TRUE(eventually([&] {
        problems = notifier.take_problems();
        return !problems.empty();
    }));
    EXPECT_NE(problems[0].find("was still running after 300ms and was killed"), std::string::npos)
        << problems[0];
    EXPECT_NE(::kill(pid, 0), 0);  // gone, and reaped
}
