#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <exam/precheck/suite.hpp>
#include <exam/util/error.hpp>

#include "support/temp_dir.hpp"

using namespace std::chrono_literals;

namespace {

void expect_error_at(const std::string& text, int line, int column, const std::string& fragment) {
    SCOPED_TRACE(text);
    try {
        (void)exam::parse_suite(text, "suite.toml");
        ADD_FAILURE() << "the suite was accepted";
    } catch (const exam::ConfigError& e) {
        EXPECT_EQ(e.line(), line) << e.what();
        EXPECT_EQ(e.column(), column) << e.what();
        EXPECT_NE(std::string{e.what()}.find(fragment), std::string::npos) << e.what();
    }
}

}  // namespace

TEST(Suite, ReadsChecksWithTheirCommonAndOwnKeys) {
    const exam::Suite suite = exam::parse_suite(R"(default_timeout = "5s"

[[check]]
id = "free-space"
title = "Free space for recordings"
type = "disk"
severity = "warning"
tags = ["server", "storage"]
timeout = "2s"
retries = 2
retry_delay = "500ms"
hint = "Delete old rehearsal recordings"
path = "/srv/recordings"
min_free = "50GB"

[[check]]
id = "printer-script"
type = "command"
argv = ["./check-printer.sh", "--room", "0101"]
expect_exit = 0
expect_output = "^ok"
exclusive = true
)",
                                                "/etc/examkit/server.toml");
    ASSERT_EQ(suite.checks.size(), 2u);
    EXPECT_EQ(suite.default_timeout, 5s);
    EXPECT_EQ(suite.folder, std::filesystem::path{"/etc/examkit"});
    const exam::CheckSpec& disk = suite.checks[0];
    EXPECT_EQ(disk.title, "Free space for recordings");
    EXPECT_EQ(disk.severity, exam::Severity::warning);
    EXPECT_EQ(disk.tags, (std::vector<std::string>{"server", "storage"}));
    EXPECT_EQ(disk.timeout, 2s);
    EXPECT_EQ(disk.retries, 2);
    EXPECT_EQ(disk.retry_delay, 500ms);
    EXPECT_EQ(disk.line, 3);
    EXPECT_EQ(nlohmann::json::parse(disk.parameters_json)["min_free"], "50GB");
    const exam::CheckSpec& command = suite.checks[1];
    EXPECT_EQ(command.title, "printer-script");  // the id when no title
    EXPECT_EQ(command.severity, exam::Severity::critical);
    EXPECT_TRUE(command.exclusive);
    EXPECT_EQ(nlohmann::json::parse(command.parameters_json)["argv"][2], "0101");
    EXPECT_EQ(suite.find("free-space"), &suite.checks[0]);
}

TEST(SuiteErrors, UnknownTypeSuggestsTheClosest) {
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"proces\"\nname = \"x\"\n", 3, 1,
                    "did you mean \"process\"?");
}

TEST(SuiteErrors, UnknownTypeWithNothingCloseListsTheTypes) {
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"telepathy\"\n", 3, 1,
                    "unknown check type \"telepathy\"; the types are: command, file, package");
}

TEST(SuiteErrors, AMisspeltRequiredKeyIsShownAtTheTypo) {
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"disk\"\npath = \"/\"\nmin_fre = \"1GB\"\n", 5,
                    1,
                    "check \"a\" of type disk needs \"min_free\": without it, it would check "
                    "nothing; is \"min_fre\" here a misspelling of \"min_free\"?");
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"command\"\nargs = [\"true\"]\n", 4, 1,
                    "is \"args\" here a misspelling of \"argv\"?");
    expect_error_at("[[check]]\nidd = \"a\"\ntype = \"window\"\n", 2, 1,
                    "[[check]] is missing the required key \"id\"; is \"idd\" here");
}

TEST(SuiteErrors, AFileKindOutsideItsSetSuggestsTheRightOne) {
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"file\"\npath = \"/\"\nkind = \"directroy\"\n",
                    5, 8,
                    "\"kind\" in [[check]] must be one of file, directory, symlink; found "
                    "\"directroy\"; did you mean \"directory\"?");
}

TEST(SuiteErrors, KeyOfAnotherTypeIsUnknown) {
    expect_error_at(
        "[[check]]\nid = \"a\"\ntype = \"tcp\"\naddress = \"127.0.0.1:1\"\nurl = \"http://x\"\n", 5,
        1, "unknown key \"url\" in [[check]]");
}

TEST(SuiteErrors, ACheckThatAssertsNothingIsRefused) {
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"disk\"\npath = \"/\"\n", 1, 1,
                    "check \"a\" of type disk needs \"min_free\"");
    expect_error_at("[[check]]\nid = \"b\"\ntype = \"command\"\n", 1, 1,
                    "needs \"run\" or \"argv\"");
}

TEST(SuiteErrors, BothAlternativesAreOneTooMany) {
    expect_error_at(
        "[[check]]\nid = \"a\"\ntype = \"command\"\nrun = \"true\"\nargv = [\"true\"]\n", 5, 1,
        "only one of its program keys");
}

TEST(SuiteErrors, DuplicateId) {
    expect_error_at(
        "[[check]]\nid = \"a\"\ntype = \"window\"\n[[check]]\nid = \"a\"\ntype = \"window\"\n", 5,
        1, "duplicate check id \"a\"");
}

TEST(SuiteErrors, BadValuesPointAtThemselves) {
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"window\"\ntimeout = \"soon\"\n", 4, 11,
                    "must be a number with a unit");
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"window\"\nseverity = \"fatal\"\n", 4, 12,
                    "must be one of critical, warning");
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"disk\"\npath = \"/\"\nmin_free = \"lots\"\n",
                    5, 1, "a size such as \"500MB\"");
    expect_error_at(
        "[[check]]\nid = \"a\"\ntype = \"command\"\nrun = \"x\"\nexpect_output = \"([\"\n", 5, 1,
        "\"expect_output\" is not a regular expression this check can use");
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"cpu-load\"\nmax_load = \"high\"\n", 4, 12,
                    "must be a number");
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"window\"\nretries = -1\n", 4, 1,
                    "must be from 0 to 100");
}

TEST(SuiteErrors, APercentageMustBeANumberUpTo100) {
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"disk\"\npath = \"/\"\nmin_free = \"lots%\"\n",
                    5, 1, "or a percentage such as \"10%\"");
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"memory\"\nmin_available = \"150%\"\n", 4, 1,
                    "or a percentage such as \"10%\"");
    EXPECT_NO_THROW((void)exam::parse_suite(
        "[[check]]\nid = \"a\"\ntype = \"disk\"\npath = \"/\"\nmin_free = \"12.5%\"\n",
        "suite.toml"));
}

TEST(SuiteErrors, ACameraCheckNeedsBothWidthAndHeight) {
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"camera\"\nwidth = 1920\n", 4, 1,
                    "needs both \"width\" and \"height\"");
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"camera\"\nheight = 1080\n", 4, 1,
                    "needs both \"width\" and \"height\"");
    expect_error_at("[[check]]\nid = \"a\"\ntype = \"camera\"\nwidth = 0\nheight = 1080\n", 4, 1,
                    "\"width\" in [[check]] must be from 16 to 16384; found 0");
    EXPECT_NO_THROW((void)exam::parse_suite(
        "[[check]]\nid = \"a\"\ntype = \"camera\"\nwidth = 1920\nheight = 1080\n", "suite.toml"));
}

TEST(SuiteErrors, APrinterServerMustBeAHostAPortOrASocket) {
    for (const char* bad : {"cups.local:", "cups.local:http", "cups.local:99999", "a b", "[::1"}) {
        expect_error_at(std::string{"[[check]]\nid = \"a\"\ntype = \"printer\"\nname = \"p\"\n"
                                    "server = \""} +
                            bad + "\"\n",
                        5, 1, "must be a CUPS server as HOST, HOST:PORT");
    }
    for (const char* good : {"cups.local", "10.0.0.5:631", "[::1]:631", "/run/cups/cups.sock"}) {
        EXPECT_NO_THROW((void)exam::parse_suite(
            std::string{"[[check]]\nid = \"a\"\ntype = \"printer\"\nname = \"p\"\nserver = \""} +
                good + "\"\n",
            "suite.toml"))
            << good;
    }
}

namespace {

std::string check_of(const std::string& type, const std::string& keys) {
    return "[[check]]\nid = \"a\"\ntype = \"" + type + "\"\n" + keys + "\n";
}

void expect_accepted(const std::string& text) {
    EXPECT_NO_THROW((void)exam::parse_suite(text, "suite.toml")) << text;
}

}  // namespace

TEST(SuiteErrors, ATcpAddressNeedsAHostAndAPortFrom1To65535) {
    for (const char* bad : {"printer.local", "printer.local:", ":631", "host:99999", "host:-1",
                            "host:0", "::1:80", "[::1]", "[::1:80", "a b:80", "host:80x"}) {
        expect_error_at(check_of("tcp", std::string{"address = \""} + bad + "\""), 4, 1,
                        "\"address\" must be HOST:PORT or [IPv6]:PORT with a port from 1 to 65535");
    }
    for (const char* good : {"printer.local:631", "10.0.0.5:1", "[::1]:65535", "[fe80::1]:80"}) {
        expect_accepted(check_of("tcp", std::string{"address = \""} + good + "\""));
    }
}

TEST(SuiteErrors, AnHttpUrlIsHttpOrHttpsWithAHost) {
    for (const char* bad :
         {"ftp://x", "httpx://example.org/", "http://", "https://", "http:///path", "http://:80/",
          "http://host:99999/", "example.org", "http://user@host/", "http://host/a b"}) {
        expect_error_at(check_of("http", std::string{"url = \""} + bad + "\""), 4, 1,
                        "\"url\" must be an HTTP or HTTPS address");
    }
    for (const char* good :
         {"http://127.0.0.1:8080/health", "http://host", "HTTP://host/", "http://[::1]:80/x?y=1",
          "https://portal.example.org/status", "HTTPS://10.0.0.1:8443/"}) {
        expect_accepted(check_of("http", std::string{"url = \""} + good + "\""));
    }
}

TEST(SuiteErrors, AFileModeIsThreeOrFourOctalDigits) {
    for (const char* bad : {"0999", "rwxr-xr-x", "12345", "64", "0o644", "", "+644"}) {
        expect_error_at(check_of("file", std::string{"path = \"/\"\nmode = \""} + bad + "\""), 5, 1,
                        "\"mode\" must be permission bits as three or four octal digits");
    }
    for (const char* good : {"0640", "640", "4755", "0000"}) {
        expect_accepted(check_of("file", std::string{"path = \"/\"\nmode = \""} + good + "\""));
    }
}

TEST(SuiteErrors, AVersionConstraintIsARelationAndADebianVersion) {
    for (const char* bad :
         {"1.2", ">=", ">= ", "=> 1.2", ">= abc", ">= 1.2 1.3", "~ 1.2", ">= 1.2;rm"}) {
        expect_error_at(check_of("package", std::string{"name = \"x\"\nversion = \""} + bad + "\""),
                        5, 1, "\"version\" must be a relation");
    }
    for (const char* good : {">= 1.2", "<<2:1.0-3", " = 1.0~rc1+dfsg ", "> 0"}) {
        expect_accepted(
            check_of("package", std::string{"name = \"x\"\nversion = \""} + good + "\""));
    }
}

TEST(SuiteErrors, AnUnknownFileKindIsRefused) {
    expect_error_at(check_of("file", "path = \"/\"\nkind = \"fifo\""), 5, 8,
                    "\"kind\" in [[check]] must be one of file, directory, symlink");
}

TEST(SuiteErrors, AClockServerIsAHostWithAnOptionalPort) {
    for (const char* bad : {"ntp.local:", "ntp.local:70000", "[::1", "a b"}) {
        expect_error_at(check_of("clock", std::string{"server = \""} + bad + "\""), 4, 1,
                        "\"server\" must be an NTP server");
    }
    expect_accepted(check_of("clock", "server = \"[::1]:123\""));
}

// std::regex recursed once per character of these values and overflowed the stack (a crash
// under the asan preset); now they are refused, each at its key, in a short message.
TEST(SuiteErrors, HugeValuesAreRefusedWithoutRecursingOverThem) {
    const std::string long_text(30000, 'a');
    expect_error_at(check_of("printer", "name = \"p\"\nserver = \"" + long_text + "!\""), 5, 1,
                    "must be a CUPS server");
    expect_error_at(check_of("command", "run = \"true\"\nexpect_output = \"" + long_text + "\""), 5,
                    1, "the pattern has 30000 characters; at most 1000 are allowed");
    expect_accepted(
        check_of("disk", "path = \"/\"\nmin_free = \"5." + std::string(30000, '0') + "1%\""));
    expect_error_at(
        check_of("disk", "path = \"/\"\nmin_free = \"100." + std::string(30000, '0') + "1%\""), 5,
        1, "or a percentage such as \"10%\"");
    try {
        (void)exam::parse_suite(check_of("tcp", "address = \"" + long_text + "\""), "suite.toml");
        ADD_FAILURE() << "accepted";
    } catch (const exam::ConfigError& e) {
        EXPECT_LT(std::string{e.what()}.size(), 1000u);
        EXPECT_NE(std::string{e.what()}.find("(30000 characters)"), std::string::npos) << e.what();
    }
}

TEST(SuiteErrors, ABackReferenceCannotBeSearchedWithoutBacktracking) {
    expect_error_at(check_of("command", "run = \"true\"\nexpect_output = '(a)\\1'"), 5, 1,
                    "\"expect_output\" is not a regular expression this check can use");
}

TEST(SuiteErrors, AZeroDefaultTimeoutIsRefused) {
    expect_error_at("default_timeout = \"0s\"\n[[check]]\nid = \"a\"\ntype = \"window\"\n", 1, 1,
                    "must be from 100ms to 1h");
}

TEST(SuiteErrors, AnEmptySuiteChecksNothing) {
    EXPECT_THROW((void)exam::parse_suite("default_timeout = \"5s\"\n", "suite.toml"),
                 exam::ConfigError);
}

TEST(SuiteErrors, MissingFileIsAConfigError) {
    EXPECT_THROW((void)exam::load_suite("/nonexistent/suite.toml"), exam::ConfigError);
}
