// The entrance desk driven through a real pseudo-terminal, as a person with a barcode scanner.
// A scanner types a whole document number and its line end in one go, faster than the desk
// reads: those tests write a scan and whatever follows it in one write.
#include <chrono>
#include <csignal>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/languages.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;

// A child process on a pseudo-terminal, read until an expected text shows up.
class Terminal {
public:
    Terminal(const std::vector<std::string>& argv, const std::filesystem::path& folder,
             const std::filesystem::path& site,
             const std::vector<std::pair<std::string, std::string>>& environment = {}) {
        m_pid = ::forkpty(&m_master, nullptr, nullptr, nullptr);
        if (m_pid == 0) {
            ::chdir(folder.c_str());
            ::setenv("EXAM_SITE", site.c_str(), 1);
            ::setenv("EXAM_ACTOR", "Desk", 1);
            ::setenv("NO_COLOR", "1", 1);
            for (const auto& [name, value] : environment) {
                ::setenv(name.c_str(), value.c_str(), 1);
            }
            std::vector<char*> args;
            for (const auto& arg : argv) {
                args.push_back(const_cast<char*>(arg.c_str()));
            }
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
    }
    ~Terminal() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        ::close(m_master);
    }

    // Reads until `text` appears in what was printed since the last wait; false at the deadline.
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (m_screen.find(text, m_seen) == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return false;
            }
            pollfd fd{m_master, POLLIN, 0};
            if (::poll(&fd, 1, static_cast<int>(left.count())) > 0) {
                char buffer[4096];
                const ssize_t n = ::read(m_master, buffer, sizeof buffer);
                if (n <= 0) {
                    return m_screen.find(text, m_seen) != std::string::npos;
                }
                m_screen.append(buffer, static_cast<std::size_t>(n));
            }
        }
        m_seen = m_screen.find(text, m_seen) + text.size();
        return true;
    }

    void type(const std::string& keys) {
        ASSERT_EQ(::write(m_master, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
    }

    int wait_exit() {
        int status = 0;
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (::waitpid(m_pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                return -1;
            }
            char buffer[4096];
            pollfd fd{m_master, POLLIN, 0};
            if (::poll(&fd, 1, 10) > 0) {
                const ssize_t n = ::read(m_master, buffer, sizeof buffer);
                if (n > 0) {
                    m_screen.append(buffer, static_cast<std::size_t>(n));
                }
            }
        }
        m_pid = -1;
        // What it printed last may still wait in the terminal: read it until the end (EIO once
        // the child's side is closed) rather than lose it to the race with its exit.
        while (true) {
            char buffer[4096];
            pollfd fd{m_master, POLLIN, 0};
            if (::poll(&fd, 1, 200) <= 0) {
                break;
            }
            const ssize_t n = ::read(m_master, buffer, sizeof buffer);
            if (n <= 0) {
                break;
            }
            m_screen.append(buffer, static_cast<std::size_t>(n));
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    const std::string& screen() const { return m_screen; }

private:
    int m_master = -1;
    pid_t m_pid = -1;
    std::string m_screen;
    std::size_t m_seen = 0;
};

class JournalDesk : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        temp.write("site.toml",
                   "ppe_code = \"0042\"\nregion = \"01\"\nname = \"Desk school\"\ntimezone = "
                   "\"Europe/Moscow\"\n");
        temp.write("roster.csv", "name,role,document\nИванов Пётр,organizer-room,4506 123456\n");
        for (const std::vector<std::string>& args :
             {std::vector<std::string>{"init"}, {"roster", "import", "roster.csv"}}) {
            const auto result = exam::testing::run_tool(
                EXAM_JOURNAL_BIN, {.args = args,
                                   .working_directory = temp.path(),
                                   .environment = {{"EXAM_SITE", (temp / "site.toml").string()}}});
            ASSERT_EQ(result.exit_code, 0) << result.standard_error;
        }
    }

    Terminal open_desk(const std::vector<std::pair<std::string, std::string>>& environment = {}) {
        return Terminal({EXAM_JOURNAL_BIN, "desk"}, temp.path(), temp / "site.toml", environment);
    }

    // What the desk recorded, as an auditor lists it (the staff list's import, entry 0, left out).
    nlohmann::json entries() {
        const auto result = exam::testing::run_tool(
            EXAM_JOURNAL_BIN, {.args = {"list", "--json"},
                               .working_directory = temp.path(),
                               .environment = {{"EXAM_SITE", (temp / "site.toml").string()}}});
        EXPECT_EQ(result.exit_code, 0) << result.standard_error;
        const nlohmann::json listed = nlohmann::json::parse(result.standard_output);
        nlohmann::json recorded = nlohmann::json::array();
        for (const auto& entry : listed["entries"]) {
            if (entry["kind"] != "roster-import") {
                recorded.push_back(entry);
            }
        }
        return recorded;
    }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_F(JournalDesk, AdmitsLetsOutAndRefusesOnExplicitAnswers) {
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("Иванов Пётр (organizer-room). y: ADMIT, n: skip")) << desk.screen();
    desk.type("y\r");
    ASSERT_TRUE(desk.wait_for("ADMITTED: Иванов Пётр (entry 1)")) << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506 123456\r");
    ASSERT_TRUE(desk.wait_for("is inside since")) << desk.screen();
    desk.type("y\r");
    ASSERT_TRUE(desk.wait_for("EXIT recorded: Иванов Пётр (entry 2)")) << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("9999000000\r");
    ASSERT_TRUE(desk.wait_for("NOT ON THE STAFF LIST: refused and recorded (entry 3)"))
        << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("y: ADMIT")) << desk.screen();
    desk.type("n\r");
    ASSERT_TRUE(desk.wait_for("skipped")) << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("q\r");
    ASSERT_TRUE(desk.wait_for("Type q and Enter once more")) << desk.screen();
    desk.type("q\r");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();
    EXPECT_EQ(entries().size(), 3U);
    // Typed without echo: the number never appears on the screen.
    EXPECT_FALSE(contains(desk.screen(), "123456")) << desk.screen();
}

TEST_F(JournalDesk, KeepsTheNextPersonsScanTypedAheadAtTheDocumentPrompt) {
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("9999000000\r\n4506123456\r\n");  // two scans in one go, CR LF after each
    ASSERT_TRUE(desk.wait_for("NOT ON THE STAFF LIST: refused and recorded (entry 1)"))
        << desk.screen();
    // The refusal asks nothing, so the second scan is still there for the next prompt.
    ASSERT_TRUE(desk.wait_for("Иванов Пётр (organizer-room). y: ADMIT")) << desk.screen();
    desk.type("y\r");
    ASSERT_TRUE(desk.wait_for("ADMITTED: Иванов Пётр (entry 2)")) << desk.screen();
    EXPECT_FALSE(contains(desk.screen(), "ignored")) << desk.screen();
}

TEST_F(JournalDesk, DiscardsAScanTypedBeforeAQuestionAndSaysSo) {
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r\n9999000000\r\n");
    ASSERT_TRUE(desk.wait_for("ignored a scan typed before the answer; scan again"))
        << desk.screen();
    ASSERT_TRUE(desk.wait_for("Иванов Пётр (organizer-room). y: ADMIT")) << desk.screen();
    desk.type("y\r");
    ASSERT_TRUE(desk.wait_for("ADMITTED: Иванов Пётр (entry 1)")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("\x04");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();

    // The discarded scan was neither admitted nor refused.
    const auto journal = entries();
    ASSERT_EQ(journal.size(), 1U) << journal.dump();
    EXPECT_EQ(journal[0]["kind"], "enter");
    EXPECT_EQ(journal[0]["name"], "Иванов Пётр");
}

TEST_F(JournalDesk, AScanArrivingWhileAQuestionWaitsIsNeitherSplitNorARefusal) {
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("y: ADMIT, n: skip")) << desk.screen();
    desk.type("4506123456\r");  // the scanner fires again before the operator answers
    ASSERT_TRUE(desk.wait_for("ignored a scan typed before the answer; scan again"))
        << desk.screen();
    ASSERT_TRUE(desk.wait_for("y: ADMIT, n: skip")) << desk.screen();  // asked again
    desk.type("y\r");
    ASSERT_TRUE(desk.wait_for("ADMITTED: Иванов Пётр (entry 1)")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("\x04");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();

    const auto journal = entries();
    ASSERT_EQ(journal.size(), 1U) << journal.dump();
    EXPECT_EQ(journal[0]["kind"], "enter");
    EXPECT_FALSE(contains(desk.screen(), "NOT ON THE STAFF LIST")) << desk.screen();
}

TEST_F(JournalDesk, NeitherEnterAloneNorAScannersCrLfConfirms) {
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r\n");
    ASSERT_TRUE(desk.wait_for("y: ADMIT, n: skip")) << desk.screen();
    desk.type("\r");
    ASSERT_TRUE(desk.wait_for("y: ADMIT, n: skip")) << desk.screen();  // asked again
    desk.type("\r\n");
    ASSERT_TRUE(desk.wait_for("y: ADMIT, n: skip")) << desk.screen();
    desk.type("n\r");
    ASSERT_TRUE(desk.wait_for("skipped")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("\x04");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();
    EXPECT_FALSE(contains(desk.screen(), "ADMITTED")) << desk.screen();
    EXPECT_EQ(entries().size(), 0U);
}

TEST_F(JournalDesk, StrayEntersDoNotEndTheDesk) {
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("\r\r\r\n\n");
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("Иванов Пётр (organizer-room). y: ADMIT")) << desk.screen();
    desk.type("y\r");
    ASSERT_TRUE(desk.wait_for("ADMITTED: Иванов Пётр (entry 1)")) << desk.screen();
    EXPECT_FALSE(contains(desk.screen(), "closed")) << desk.screen();
}

TEST_F(JournalDesk, QTwiceClosesTheDeskAsTheGreetingSays) {
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("To close the desk: Ctrl-D, or q and Enter twice.")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("q\r");
    ASSERT_TRUE(desk.wait_for("Type q and Enter once more to close the desk.")) << desk.screen();
    desk.type("q\r");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();
    EXPECT_TRUE(contains(desk.screen(), "The desk is closed.")) << desk.screen();
    EXPECT_EQ(entries().size(), 0U);
}

TEST_F(JournalDesk, CtrlDClosesTheDeskEvenWhileAQuestionWaitsAndRecordsNothing) {
    {
        Terminal desk = open_desk();
        ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
        desk.type("\x04");
        EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();
    }
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("y: ADMIT, n: skip")) << desk.screen();
    desk.type("\x04");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();
    EXPECT_TRUE(contains(desk.screen(), "The desk is closed.")) << desk.screen();
    EXPECT_EQ(entries().size(), 0U);
}

TEST_F(JournalDesk, KeysWorkInTheRussianLayoutAndEscSkips) {
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("y: ADMIT")) << desk.screen();
    desk.type("н\r");
    ASSERT_TRUE(desk.wait_for("ADMITTED: Иванов Пётр (entry 1)")) << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("y: record EXIT")) << desk.screen();
    desk.type("т\r");
    ASSERT_TRUE(desk.wait_for("skipped")) << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("y: record EXIT")) << desk.screen();
    desk.type("\x1b");
    ASSERT_TRUE(desk.wait_for("skipped")) << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("й\r");
    ASSERT_TRUE(desk.wait_for("once more")) << desk.screen();
    desk.type("Й\r");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();
    const auto journal = entries();
    ASSERT_EQ(journal.size(), 1U) << journal.dump();  // the admission; no exit was recorded
    EXPECT_EQ(journal[0]["kind"], "enter");
}

TEST_F(JournalDesk, AdmitsAnywayWithAReasonTypedAtTheDesk) {
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("a\r");
    ASSERT_TRUE(desk.wait_for("nobody has just been refused")) << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("9999000000\r\n");
    ASSERT_TRUE(
        desk.wait_for("NOT ON THE STAFF LIST: refused and recorded (entry 1). To admit "
                      "anyway, type a and Enter."))
        << desk.screen();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("ф\r");
    ASSERT_TRUE(desk.wait_for("Admitting anyway the document ending 0000")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Full name: ")) << desk.screen();
    desk.type("Петров  Иван\r");
    ASSERT_TRUE(desk.wait_for("Role (")) << desk.screen();
    desk.type("organiser\r");
    ASSERT_TRUE(desk.wait_for("not one of the roles")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Role (")) << desk.screen();
    desk.type("technician\r");
    ASSERT_TRUE(desk.wait_for("Reason (who approved it): ")) << desk.screen();
    desk.type("replaces Sidorov, approved by the head\r");
    ASSERT_TRUE(
        desk.wait_for("Admit Петров Иван (technician) anyway, reason \"replaces Sidorov, "
                      "approved by the head\"? y: ADMIT ANYWAY, n: cancel"))
        << desk.screen();
    desk.type("y\r");
    ASSERT_TRUE(desk.wait_for("ADMITTED ANYWAY: Петров Иван (entry 2)")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("\x04");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();

    const auto journal = entries();
    ASSERT_EQ(journal.size(), 2U) << journal.dump();
    EXPECT_EQ(journal[0]["kind"], "denied");
    EXPECT_EQ(journal[1]["kind"], "enter");
    EXPECT_EQ(journal[1]["name"], "Петров Иван");
    EXPECT_EQ(journal[1]["role"], "technician");
    EXPECT_EQ(journal[1]["doc_tail"], "0000");
    EXPECT_TRUE(
        contains(journal[1]["reason"].get<std::string>(), "replaces Sidorov, approved by the head"))
        << journal.dump();
    EXPECT_FALSE(contains(desk.screen(), "9999000000")) << desk.screen();
}

TEST_F(JournalDesk, AdmitAnywayCanBeCancelledWithEsc) {
    Terminal desk = open_desk();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("9999000000\r");
    ASSERT_TRUE(desk.wait_for("NOT ON THE STAFF LIST")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("a\r");
    ASSERT_TRUE(desk.wait_for("Full name: ")) << desk.screen();
    desk.type("\x1b");
    ASSERT_TRUE(desk.wait_for("Nothing recorded.")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("\x04");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();
    EXPECT_EQ(entries().size(), 1U);
}

TEST_F(JournalDesk, RefusesToRunWithoutATerminal) {
    const auto result = exam::testing::run_tool(
        EXAM_JOURNAL_BIN, {.args = {"desk"},
                           .working_directory = temp.path(),
                           .environment = {{"EXAM_SITE", (temp / "site.toml").string()}}});
    EXPECT_EQ(result.exit_code, 64);
    EXPECT_NE(result.standard_error.find("needs a terminal"), std::string::npos)
        << result.standard_error;
}

// The desk in Russian, as the entrance staff run it (LANG=ru_RU.UTF-8): its prompts and answers,
// a date of the Russian form; the journal's entries stay the same.
TEST_F(JournalDesk, SpeaksRussianWhenTheLanguageIsRussian) {
    Terminal desk = open_desk(exam::testing::user_environment("ru_RU.UTF-8"));
    ASSERT_TRUE(desk.wait_for("Документ: ")) << desk.screen();
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("Иванов Пётр (organizer-room). y — ДОПУСТИТЬ, n — пропустить"))
        << desk.screen();
    desk.type("y\r");
    ASSERT_TRUE(desk.wait_for("ДОПУСК РАЗРЕШЁН: Иванов Пётр (запись № 1)")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Документ: ")) << desk.screen();
    desk.type("4506 123456\r");
    ASSERT_TRUE(desk.wait_for(". y — записать ВЫХОД, n — пропустить")) << desk.screen();
    EXPECT_TRUE(std::regex_search(desk.screen(),
                                  std::regex{R"(находится в ППЭ с \d\d\.\d\d\.\d{4} \d\d:\d\d\.)"}))
        << desk.screen();
    desk.type("y\r");
    ASSERT_TRUE(desk.wait_for("Документ: ")) << desk.screen();
    desk.type("9999000000\r");
    ASSERT_TRUE(desk.wait_for("НЕТ В СПИСКЕ РАБОТНИКОВ ППЭ: в допуске отказано")) << desk.screen();
    ASSERT_TRUE(desk.wait_for("Документ: ")) << desk.screen();
    desk.type("q\r");
    ASSERT_TRUE(desk.wait_for("Чтобы закрыть пост, ещё раз введите q и нажмите Enter."))
        << desk.screen();
    desk.type("q\r");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();
    const auto recorded = entries();
    ASSERT_EQ(recorded.size(), 3U);
    EXPECT_EQ(recorded[0]["kind"], "enter");
    EXPECT_EQ(recorded[1]["kind"], "exit");
    EXPECT_EQ(recorded[2]["kind"], "denied");
}
