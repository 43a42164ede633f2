#include <algorithm>
#include <set>

#include <exam/precheck/selection.hpp>
#include <exam/util/error.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

namespace exam {

void check_selection(std::span<const std::string> only, std::span<const std::string> tags,
                     const Suite& suite, std::span<const CheckSpec> checks) {
    std::vector<std::string_view> ids;
    for (const CheckSpec& check : suite.checks) {
        ids.push_back(check.id);
    }
    for (const CheckSpec& check : checks) {
        if (std::find(ids.begin(), ids.end(), check.id) == ids.end()) {
            ids.push_back(check.id);  // one camera of a camera check
        }
    }
    for (const std::string& id : only) {
        const bool known = std::any_of(checks.begin(), checks.end(), [&](const CheckSpec& check) {
            return check.id == id || check.id.starts_with(id + ":");
        });
        if (!known) {
            std::string suggestion = did_you_mean(id, ids);
            if (suggestion.empty()) {
                suggestion =
                    _f("; 'exam-precheck list --suite {}' shows its checks", suite.file.string());
            }
            throw UsageError(_f("--only {}: no check with that id in {}{}", id, suite.file.string(),
                                suggestion));
        }
    }
    std::set<std::string_view> used_tags;
    for (const CheckSpec& check : suite.checks) {
        used_tags.insert(check.tags.begin(), check.tags.end());
    }
    const std::vector<std::string_view> all_tags(used_tags.begin(), used_tags.end());
    for (const std::string& tag : tags) {
        if (!used_tags.contains(tag)) {
            throw UsageError(_f("--tag {}: no check in {} has that tag{}", tag, suite.file.string(),
                                all_tags.empty() ? std::string{_("; the suite uses no tags")}
                                                 : did_you_mean(tag, all_tags, _("the tags are"))));
        }
    }
}

}  // namespace exam
