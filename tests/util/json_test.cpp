#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <exam/util/json.hpp>

TEST(JsonOutput, KeepsKeyOrderAndUtf8) {
    std::ostringstream out;
    exam::write_json(out, exam::Json{{"zone", "Europe/Moscow"}, {"label", "Штаб"}});
    EXPECT_EQ(out.str(), "{\n  \"zone\": \"Europe/Moscow\",\n  \"label\": \"Штаб\"\n}\n");
}

TEST(JsonOutput, ReplacesInvalidUtf8InsteadOfThrowing) {
    std::ostringstream out;
    EXPECT_NO_THROW(exam::write_json(out, exam::Json{{"label", "bad \xff byte"}}));
    EXPECT_NE(out.str().find("bad \xef\xbf\xbd byte"), std::string::npos);
    EXPECT_TRUE(nlohmann::json::accept(out.str()));
}
