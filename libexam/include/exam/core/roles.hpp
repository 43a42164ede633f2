// The roles of people at an exam point, as the journal and the site file spell them.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <exam/export.hpp>

namespace exam {

EXAM_EXPORT std::span<const std::string_view> known_roles();
EXAM_EXPORT bool is_known_role(std::string_view role);
// "head, facility-head, ..." for messages.
EXAM_EXPORT std::string known_roles_text();
// The complaint about a role that is not one of them, wherever a role is read (a roster row,
// --role, the site file): `unknown role "tehcnician"; did you mean "technician"?`, or the
// list of roles when none is close.
EXAM_EXPORT std::string unknown_role_text(std::string_view role);

// A role's title as form PPE-07 and staff lists write it in Russian ("член ГЭК"), and the
// role id it means ("commission"). Matched case-insensitively by journal/names' role_from_text.
struct RoleAlias {
    std::string_view title;
    std::string_view role;
};
EXAM_EXPORT std::span<const RoleAlias> role_aliases();

}  // namespace exam
