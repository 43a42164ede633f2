#include <gtest/gtest.h>

#include <exam/service/recording_module.hpp>
#include <exam/util/error.hpp>
#include <exam/util/loadable_module.hpp>

TEST(LoadableModule, FindsOurModuleBesideLibexamAndItsEntryPoints) {
    // The build tree keeps libexam-recording beside libexam, as an installation does.
    EXPECT_NE(exam::recording_module().entry("exam_recording_run"), nullptr)
        << exam::recording_module().problem("exam_recording_run");
}

TEST(LoadableModule, AMissingModuleOrEntryPointIsExplainedNotACrash) {
    exam::LoadableModule missing{"libexam-nonexistent.so.0"};
    EXPECT_EQ(missing.entry("anything"), nullptr);
    EXPECT_NE(missing.problem("anything").find("libexam-nonexistent.so.0"), std::string::npos);
    EXPECT_EQ(exam::recording_module().entry("exam_recording_no_such_entry"), nullptr);
    EXPECT_NE(exam::recording_module()
                  .problem("exam_recording_no_such_entry")
                  .find("exam_recording_no_such_entry"),
              std::string::npos);
    EXPECT_THROW((void)exam::recording_entry<void (*)()>("exam_recording_no_such_entry"),
                 exam::DeviceError);
}
