#include <algorithm>
#include <array>

#include <exam/core/roles.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

constexpr std::array<std::string_view, 16> k_roles{
    "head",       "facility-head", "organizer-room", "organizer-outside",
    "commission", "technician",    "police",         "medic",
    "assistant",  "instructor",    "examiner",       "expert",
    "observer",   "media",         "participant",    "other",
};

}  // namespace

std::span<const std::string_view> known_roles() {
    return k_roles;
}

bool is_known_role(std::string_view role) {
    return std::find(k_roles.begin(), k_roles.end(), role) != k_roles.end();
}

std::string known_roles_text() {
    std::string text;
    for (const std::string_view role : k_roles) {
        text += text.empty() ? "" : ", ";
        text += role;
    }
    return text;
}

std::string unknown_role_text(std::string_view role) {
    return _f("unknown role \"{}\"", role) + did_you_mean(role, k_roles, _("the roles are"));
}

}  // namespace exam
