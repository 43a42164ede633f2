#include "service/reply_lines.hpp"

#include <nlohmann/json.hpp>

#include <exam/util/translate.hpp>

namespace exam::reply_lines {
namespace {

using nlohmann::json;

std::string quoted(const json& value) {
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    constexpr std::size_t k_shown = 40;
    return text.size() > k_shown ? text.substr(0, k_shown) + "..." : text;
}

}  // namespace

Request parse_request(const std::string& line) {
    json request;
    try {
        request = json::parse(line);
    } catch (const json::exception&) {
        return {{},
                _("the request is not JSON; a request is one line holding a JSON object "
                  "with \"v\": 1 and \"command\" (docs/service-protocol.md)")};
    }
    if (!request.is_object()) {
        return {{},
                _f("the request is {}, not a JSON object with \"v\": 1 and \"command\" "
                   "(docs/service-protocol.md)",
                   quoted(request))};
    }
    const auto version = request.find("v");
    if (version == request.end()) {
        return {{},
                _("the request has no protocol version \"v\"; this service speaks \"v\": 1 "
                  "(docs/service-protocol.md)")};
    }
    if (!version->is_number_integer() || version->get<long long>() != k_protocol_version) {
        return {{},
                _f("the request is in protocol version {}, and this service speaks only "
                   "version 1: are the command and the service from the same examkit?",
                   quoted(*version))};
    }
    const auto command = request.find("command");
    if (command == request.end() || !command->is_string()) {
        return {{}, _("the request names no \"command\" (a string, such as \"status\")")};
    }
    return {command->get<std::string>(), {}};
}

std::string error_reply(ExitCode code, const std::string& message) {
    const json reply = {{"ok", false},
                        {"error", {{"code", static_cast<int>(code)}, {"message", message}}}};
    return reply.dump(-1, ' ', false, json::error_handler_t::replace);
}

Reply read_reply(const std::string& line) {
    const json reply = json::parse(line, nullptr, false);
    if (!reply.is_object()) {
        return {};
    }
    if (reply.contains("progress")) {
        return {ReplyKind::progress, 0, {}};
    }
    const auto error = reply.find("error");
    if (error == reply.end()) {
        return {ReplyKind::final_reply, 0, {}};
    }
    if (!error->is_object() || !error->contains("code") || !(*error)["code"].is_number_integer() ||
        !error->contains("message") || !(*error)["message"].is_string()) {
        return {};
    }
    return {ReplyKind::error, (*error)["code"].get<int>(), (*error)["message"].get<std::string>()};
}

}  // namespace exam::reply_lines
