// The entrance desk driven through a real pseudo-terminal, as a person with a barcode scanner.
#include <chrono>
#include <csignal>

#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;

// A child process on a pseudo-terminal, read until an expected text shows up.
class Terminal {
public:
    Terminal(const std::vector<std::string>& argv, const std::filesystem::path& folder,
             const std::filesystem::path& site) {
        m_pid = ::forkpty(&m_master, nullptr, nullptr, nullptr);
        if (m_pid == 0) {
            ::chdir(folder.c_str());
            ::setenv("EXAM_SITE", site.c_str(), 1);
            ::setenv("EXAM_ACTOR", "Desk", 1);
            ::setenv("NO_COLOR", "1", 1);
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
};

}  // namespace

TEST_F(JournalDesk, AdmitsLetsOutAndRefusesInOneKeystrokeEach) {
    Terminal desk({EXAM_JOURNAL_BIN, "desk"}, temp.path(), temp / "site.toml");
    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("Иванов Пётр (organizer-room). Enter: ADMIT")) << desk.screen();
    desk.type("\r");
    ASSERT_TRUE(desk.wait_for("ADMITTED: Иванов Пётр (entry 1)")) << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506 123456\r");
    ASSERT_TRUE(desk.wait_for("is inside since")) << desk.screen();
    desk.type("\r");
    ASSERT_TRUE(desk.wait_for("EXIT recorded: Иванов Пётр (entry 2)")) << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("9999000000\r");
    ASSERT_TRUE(desk.wait_for("NOT ON THE STAFF LIST: refused and recorded (entry 3)"))
        << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("4506123456\r");
    ASSERT_TRUE(desk.wait_for("Enter: ADMIT")) << desk.screen();
    desk.type("n");
    ASSERT_TRUE(desk.wait_for("skipped")) << desk.screen();

    ASSERT_TRUE(desk.wait_for("Document: ")) << desk.screen();
    desk.type("\r");
    EXPECT_EQ(desk.wait_exit(), 0) << desk.screen();
    // Typed without echo: the number never appears on the screen.
    EXPECT_EQ(desk.screen().find("123456"), std::string::npos) << desk.screen();
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
