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

// Titles from form PPE-07 and the instructions for each role, with the short forms staff
// lists use; hyphens, commas and extra spaces in a typed title do not matter.
constexpr std::array<RoleAlias, 39> k_aliases{{
    {"руководитель ППЭ", "head"},
    {"руководитель пункта проведения экзамена", "head"},
    {"руководитель пункта проведения экзаменов", "head"},
    {"руководитель организации", "facility-head"},
    {"руководитель образовательной организации", "facility-head"},
    {"руководитель ОО", "facility-head"},
    {"организатор в аудитории", "organizer-room"},
    {"организатор в аудиториях", "organizer-room"},
    {"организатор вне аудитории", "organizer-outside"},
    {"организатор вне аудиторий", "organizer-outside"},
    {"член ГЭК", "commission"},
    {"член государственной экзаменационной комиссии", "commission"},
    {"технический специалист", "technician"},
    {"технический специалист ППЭ", "technician"},
    {"сотрудник полиции", "police"},
    {"сотрудник охраны", "police"},
    {"сотрудник, осуществляющий охрану правопорядка", "police"},
    {"сотрудник органов внутренних дел", "police"},
    {"полиция", "police"},
    {"охрана", "police"},
    {"медицинский работник", "medic"},
    {"медработник", "medic"},
    {"ассистент", "assistant"},
    {"специалист по проведению инструктажа", "instructor"},
    {"специалист по проведению инструктажа и обеспечению лабораторных работ", "instructor"},
    {"специалист по инструктажу", "instructor"},
    {"экзаменатор-собеседник", "examiner"},
    {"экзаменатор", "examiner"},
    {"эксперт", "expert"},
    {"эксперт, оценивающий выполнение лабораторных работ", "expert"},
    {"общественный наблюдатель", "observer"},
    {"наблюдатель", "observer"},
    {"представитель СМИ", "media"},
    {"представитель средств массовой информации", "media"},
    {"СМИ", "media"},
    {"участник", "participant"},
    {"участник экзамена", "participant"},
    {"участник ГИА", "participant"},
    {"другое", "other"},
}};

}  // namespace

std::span<const RoleAlias> role_aliases() {
    return k_aliases;
}

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
