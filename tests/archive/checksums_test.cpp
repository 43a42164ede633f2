#include <gtest/gtest.h>

#include <exam/archive/checksums.hpp>
#include <exam/util/error.hpp>

namespace {

const std::string k_a(64, 'a');
const std::string k_b(64, 'b');

std::string parse_error(std::string_view text) {
    try {
        (void)exam::parse_sha256sums(text, "USB/SHA256SUMS");
    } catch (const exam::InputError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(Sha256Sums, SortsByPathInTheCoreutilsForm) {
    const std::string text = exam::sha256sums_text(
        {{.path = "b/2.mp4", .sha256 = k_b}, {.path = "README.html", .sha256 = k_a}});
    EXPECT_EQ(text, k_a + "  README.html\n" + k_b + "  b/2.mp4\n");
    const auto parsed = exam::parse_sha256sums(text, "SHA256SUMS");
    ASSERT_EQ(parsed.size(), 2u);
    EXPECT_EQ(parsed[1].path, "b/2.mp4");
    EXPECT_EQ(parsed[1].sha256, k_b);
    EXPECT_TRUE(exam::parse_sha256sums("", "SHA256SUMS").empty());
}

TEST(Sha256Sums, RefusesPathsThatLeaveThePackageOrRepeat) {
    EXPECT_THROW((void)exam::sha256sums_text({{.path = "/etc/passwd", .sha256 = k_a}}),
                 exam::InputError);
    EXPECT_THROW((void)exam::sha256sums_text({{.path = "a/../b", .sha256 = k_a}}),
                 exam::InputError);
    EXPECT_THROW((void)exam::sha256sums_text({{.path = "a", .sha256 = "AB"}}), exam::InputError);
    EXPECT_THROW(
        (void)exam::sha256sums_text({{.path = "a", .sha256 = k_a}, {.path = "a", .sha256 = k_b}}),
        exam::InputError);
}

TEST(Sha256Sums, ParseNamesTheLineOfAMalformedOne) {
    const std::string first = k_a + "  ok.mp4\n";
    std::string message = parse_error(first + "garbage\n");
    EXPECT_NE(message.find("USB/SHA256SUMS:2:"), std::string::npos) << message;
    message = parse_error(first + k_b + "  ../outside\n");
    EXPECT_NE(message.find("USB/SHA256SUMS:2:"), std::string::npos) << message;
    EXPECT_NE(message.find("\"..\""), std::string::npos) << message;
    message = parse_error(first + k_b + "  /abs\n");
    EXPECT_NE(message.find("absolute"), std::string::npos) << message;
    message = parse_error(first + k_b + "  ok.mp4\n");
    EXPECT_NE(message.find("listed twice (also on line 1)"), std::string::npos) << message;
    message = parse_error(first + k_b + " *binary.mp4\n");
    EXPECT_NE(message.find(":2:"), std::string::npos) << message;
    message = parse_error(k_a + "  no-line-end");
    EXPECT_NE(message.find(":1:"), std::string::npos) << message;
}
