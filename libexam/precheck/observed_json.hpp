// An observed value to and from JSON: {"value": number, string or bool, "unit": "..."}, the
// one shape used by reports, by the runner's child processes and by check scripts. Private
// to libexam (nlohmann-json stays out of public headers).
#pragma once

#include <nlohmann/json.hpp>

#include <exam/precheck/result.hpp>

namespace exam::observed_json {

// null when nothing was observed.
template <typename JsonType>
JsonType to_json(const Observed& observed) {
    if (observed.empty()) {
        return nullptr;
    }
    JsonType json = JsonType::object();
    std::visit(
        [&json](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (!std::is_same_v<T, std::monostate>) {
                json["value"] = value;
            }
        },
        observed.value);
    json["unit"] = observed.unit;
    return json;
}

// Anything but an object with a number, string or bool "value" reads as nothing observed.
template <typename JsonType>
Observed from_json(const JsonType& json) {
    Observed observed;
    if (!json.is_object() || !json.contains("value")) {
        return observed;
    }
    const JsonType& value = json["value"];
    if (value.is_number()) {
        observed.value = value.template get<double>();
    } else if (value.is_string()) {
        observed.value = value.template get<std::string>();
    } else if (value.is_boolean()) {
        observed.value = value.template get<bool>();
    }
    if (json.contains("unit") && json["unit"].is_string()) {
        observed.unit = json["unit"].template get<std::string>();
    }
    return observed;
}

}  // namespace exam::observed_json
