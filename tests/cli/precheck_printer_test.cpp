// The printer check against a private CUPS server started by the test: its own configuration
// folder, a loopback port, and printers that print into /dev/null.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "support/background_process.hpp"
#include "support/run_tool.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::BackgroundProcess;
using exam::testing::run_tool;
using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class PrecheckPrinter : public exam::testing::TempDirTest {
protected:
    void SetUp() override {
        // cupsd drops to the lp user for some work: it must be able to enter the folder.
        ::chmod(temp.path().c_str(), 0755);
        m_port = exam::testing::free_loopback_port();
        const std::string root = temp.path().string();
        for (const char* folder : {"spool", "cache", "state", "log"}) {
            std::filesystem::create_directories(temp / folder);
        }
        temp.write("cupsd.conf", "Listen 127.0.0.1:" + std::to_string(m_port) + R"(
LogLevel warn
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
)");
        temp.write("cups-files.conf",
                   "ServerRoot " + root + "\nRequestRoot " + root + "/spool\nCacheDir " + root +
                       "/cache\nStateDir " + root + "/state\nErrorLog " + root +
                       "/log/error_log\nAccessLog " + root + "/log/access_log\nPageLog " + root +
                       "/log/page_log\nFileDevice Yes\nUser lp\nGroup lp\n");
        m_cupsd = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"/usr/sbin/cupsd", "-f", "-c", root + "/cupsd.conf", "-s",
                                     root + "/cups-files.conf"},
            temp / "cupsd.log");
        ASSERT_TRUE(exam::testing::eventually(
            [&] { return exam::testing::accepts_connections(m_port); }, 20s))
            << exam::testing::read_file(temp / "cupsd.log")
            << exam::testing::read_file(temp / "log/error_log");
    }

    std::string server() const { return "127.0.0.1:" + std::to_string(m_port); }

    // lpadmin, cupsdisable and cupsreject: CUPS's own tools set the printers up.
    void cups(std::vector<std::string> argv) const {
        argv.insert(argv.begin() + 1, {"-h", server()});
        exam::SubprocessRequest request;
        request.argv = argv;
        request.timeout = 20s;
        const auto result = exam::run_subprocess(request);
        ASSERT_EQ(result.exit_code, 0) << argv[0] << ": " << result.standard_error;
    }

    std::string printer_check(const std::string& name) const {
        return "[[check]]\nid = \"" + name + "\"\ntype = \"printer\"\nname = \"" + name +
               "\"\nserver = \"" + server() + "\"\n";
    }

    int m_port = 0;
    std::unique_ptr<BackgroundProcess> m_cupsd;
};

}  // namespace

TEST_F(PrecheckPrinter, EnabledDisabledRejectingAndMissingPrinters) {
    for (const std::string name : {"office", "hall", "annex"}) {
        cups({"lpadmin", "-p", name, "-E", "-v", "file:///dev/null", "-m", "raw"});
    }
    cups({"cupsdisable", "hall"});
    cups({"cupsreject", "annex"});
    temp.write("suite.toml", printer_check("office") + printer_check("hall") +
                                 printer_check("annex") + printer_check("ofice"));
    const auto result =
        run_tool(EXAM_PRECHECK_BIN,
                 {.args = {"run", "--suite", (temp / "suite.toml").string(), "--report", "json"}});
    const auto json = nlohmann::json::parse(result.standard_output, nullptr, false);
    ASSERT_FALSE(json.is_discarded()) << result.standard_output << result.standard_error;
    const auto& checks = json["checks"];
    ASSERT_EQ(checks.size(), 4u);
    EXPECT_EQ(checks[0]["status"], "pass") << checks[0].dump();
    EXPECT_EQ(checks[0]["observed"]["value"], "idle, accepting jobs");
    EXPECT_EQ(checks[1]["status"], "fail") << checks[1].dump();
    EXPECT_EQ(checks[1]["observed"]["value"], "disabled, accepting jobs");
    EXPECT_EQ(checks[2]["status"], "fail") << checks[2].dump();
    EXPECT_EQ(checks[2]["observed"]["value"], "idle, rejecting jobs");
    EXPECT_EQ(checks[3]["status"], "fail") << checks[3].dump();
    EXPECT_TRUE(contains(checks[3]["message"], "no printer ofice on " + server()));
    EXPECT_TRUE(contains(checks[3]["message"], "its printers: annex, hall, office"));
    EXPECT_TRUE(contains(checks[3]["message"], "did you mean \"office\"?")) << checks[3].dump();
    EXPECT_EQ(result.exit_code, 2);
}

TEST_F(PrecheckPrinter, APrintServerThatIsNotRunningCouldNotBeChecked) {
    m_cupsd->stop();
    ASSERT_TRUE(exam::testing::eventually(
        [&] { return !exam::testing::accepts_connections(m_port); }, 10s));
    temp.write("suite.toml", printer_check("office"));
    const auto result =
        run_tool(EXAM_PRECHECK_BIN,
                 {.args = {"run", "--suite", (temp / "suite.toml").string(), "--report", "json"}});
    const auto json = nlohmann::json::parse(result.standard_output);
    EXPECT_EQ(json["checks"][0]["status"], "error");
    EXPECT_TRUE(
        contains(json["checks"][0]["message"], "nothing answers at the print server " + server()))
        << json.dump(2);
    EXPECT_EQ(result.exit_code, 3);
}
