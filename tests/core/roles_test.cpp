#include <gtest/gtest.h>

#include <exam/core/roles.hpp>

TEST(Roles, KnowsTheRolesOfAnExamPoint) {
    EXPECT_TRUE(exam::is_known_role("technician"));
    EXPECT_FALSE(exam::is_known_role("Technician"));
}

TEST(Roles, AMisspeltRoleSuggestsTheRightOne) {
    EXPECT_EQ(exam::unknown_role_text("tehcnician"),
              "unknown role \"tehcnician\"; did you mean \"technician\"?");
}

TEST(Roles, AnUnknownRoleWithNothingCloseListsTheRoles) {
    EXPECT_EQ(exam::unknown_role_text("wizard"),
              "unknown role \"wizard\"; the roles are: " + exam::known_roles_text());
}
