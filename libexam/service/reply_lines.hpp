// The control protocol's lines as JSON (docs/service-protocol.md): the request's envelope, the
// error reply, and what a reply line is. Private to libexam; nlohmann-json stays in the .cpp.
#pragma once

#include <optional>
#include <string>

#include <exam/util/error.hpp>

namespace exam::reply_lines {

inline constexpr int k_protocol_version = 1;

struct Request {
    std::string command;
    std::string problem;  // empty when the envelope is good; else what is wrong, for the client
};

// Checks the envelope only: an object with "v": 1 and a "command" string.
Request parse_request(const std::string& line);

// {"ok": false, "error": {"code": N, "message": "..."}} on one line; bytes that are not UTF-8
// in the message (quoted garbage) are replaced.
std::string error_reply(ExitCode code, const std::string& message);

enum class ReplyKind { progress, final_reply, error, malformed };

struct Reply {
    ReplyKind kind = ReplyKind::malformed;
    int code = 0;         // of an error reply
    std::string message;  // of an error reply
};

Reply read_reply(const std::string& line);

}  // namespace exam::reply_lines
