#include "recording/rtsp_message.hpp"
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <random>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/evp.h>

#include <exam/util/base64.hpp>
#include <exam/util/text.hpp>

#include "recording/camera_limits.hpp"

namespace exam {
namespace {

// %XX in credentials written into a URL ("p%40ss" for "p@ss").
std::string percent_decode(std::string_view text) {
    std::string result;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() &&
            std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            result += static_cast<char>(std::stoi(std::string{text.substr(i + 1, 2)}, nullptr, 16));
            i += 2;
        } else {
            result += text[i];
        }
    }
    return result;
}

std::string md5_hex(const std::string& text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_md5(), nullptr);
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += fmt::format("{:02x}", digest[i]);
    }
    return hex;
}

// The name="value" (or name=value) pairs of a challenge, names in lower case.
std::map<std::string, std::string> challenge_parameters(std::string_view text) {
    std::map<std::string, std::string> parameters;
    std::size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() &&
               (text[at] == ',' || std::isspace(static_cast<unsigned char>(text[at])))) {
            ++at;
        }
        const std::size_t equals = text.find('=', at);
        if (equals == std::string_view::npos) {
            break;
        }
        const std::string name = ascii_lower(trim_spaces(text.substr(at, equals - at)));
        std::string value;
        at = equals + 1;
        if (at < text.size() && text[at] == '"') {
            const std::size_t close = text.find('"', at + 1);
            value = std::string{text.substr(at + 1, close - at - 1)};
            at = close == std::string_view::npos ? text.size() : close + 1;
        } else {
            const std::size_t comma = std::min(text.find(',', at), text.size());
            value = std::string{trim_spaces(text.substr(at, comma - at))};
            at = comma;
        }
        parameters[name] = value;
    }
    return parameters;
}

}  // namespace

std::optional<RtspAddress> parse_rtsp_address(const std::string& uri) {
    constexpr std::string_view scheme = "rtsp://";
    if (!uri.starts_with(scheme)) {
        return std::nullopt;
    }
    std::string_view rest = std::string_view{uri}.substr(scheme.size());
    const std::size_t slash = std::min(rest.find('/'), rest.size());
    std::string_view authority = rest.substr(0, slash);
    const std::string_view path = rest.substr(slash);
    RtspAddress address;
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view credentials = authority.substr(0, at);
        const std::size_t colon = std::min(credentials.find(':'), credentials.size());
        address.user = percent_decode(credentials.substr(0, colon));
        if (colon < credentials.size()) {
            address.password = percent_decode(credentials.substr(colon + 1));
        }
        authority.remove_prefix(at + 1);
    }
    std::string_view host_port = authority;
    if (host_port.starts_with('[')) {
        const std::size_t close = host_port.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        address.host = std::string{host_port.substr(1, close - 1)};
        host_port.remove_prefix(close + 1);
        if (!host_port.empty() && !host_port.starts_with(':')) {
            return std::nullopt;
        }
    } else {
        const std::size_t colon = std::min(host_port.find(':'), host_port.size());
        address.host = std::string{host_port.substr(0, colon)};
        host_port.remove_prefix(colon);
    }
    if (host_port.starts_with(':') && host_port.size() > 1) {
        address.port = std::string{host_port.substr(1)};
        if (!std::all_of(address.port.begin(), address.port.end(),
                         [](unsigned char c) { return std::isdigit(c); })) {
            return std::nullopt;
        }
    }
    if (address.host.empty()) {
        return std::nullopt;
    }
    const std::string shown_host =
        address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host;
    address.url = fmt::format("rtsp://{}:{}{}", shown_host, address.port, path);
    return address;
}

std::string RtspReply::header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string{} : found->second;
}

namespace {

// Where the head ends and the body begins: after an empty line, which cameras write as
// CRLF CRLF or, now and then, as bare LFs.
std::optional<std::pair<std::size_t, std::size_t>> find_head_end(std::string_view buffer) {
    for (std::size_t i = 0; i + 1 < buffer.size(); ++i) {
        if (buffer[i] != '\n') {
            continue;
        }
        if (buffer[i + 1] == '\n') {
            return std::pair{i, i + 2};
        }
        if (buffer[i + 1] == '\r' && i + 2 < buffer.size() && buffer[i + 2] == '\n') {
            return std::pair{i, i + 3};
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::size_t> rtsp_reply_length(std::string_view buffer) {
    if (buffer.size() >= 5 && !buffer.starts_with("RTSP/")) {
        throw std::invalid_argument("not an RTSP reply");
    }
    // Only the first k_longest_reply_head bytes are looked at for the head's end: a camera that
    // sends more without one is not scanned again and again as more arrives.
    const auto head_end = find_head_end(buffer.substr(0, k_longest_reply_head + 3));
    if (!head_end || head_end->first > k_longest_reply_head) {
        if (buffer.size() > k_longest_reply_head) {
            throw RtspReplyTooLong("an RTSP reply whose head does not end");
        }
        return std::nullopt;
    }
    std::size_t body = 0;
    const std::string head = ascii_lower(buffer.substr(0, head_end->first));
    if (const std::size_t at = head.find("\ncontent-length:"); at != std::string::npos) {
        const std::string_view value =
            trim_spaces(std::string_view{head}.substr(at + 16, head.find('\n', at + 1) - at - 16));
        const auto length = parse_camera_number<std::uint64_t>(value);
        const bool digits = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
            return c >= '0' && c <= '9';
        });
        if (!digits) {
            throw std::invalid_argument("an RTSP reply with a wrong Content-Length");
        }
        // Digits past every integer are as much "too long" as 300 KB.
        if (!length || *length > k_longest_reply_body) {
            throw RtspReplyTooLong("an RTSP reply whose body is too long");
        }
        body = static_cast<std::size_t>(*length);
    }
    const std::size_t total = head_end->second + body;
    if (buffer.size() < total) {
        return std::nullopt;
    }
    return total;
}

RtspReply parse_rtsp_reply(std::string_view message) {
    RtspReply reply;
    const auto head_end = find_head_end(message);
    std::string_view head = message.substr(0, head_end ? head_end->first : message.size());
    if (head_end) {
        reply.body = std::string{message.substr(head_end->second)};
    }
    bool first = true;
    while (!head.empty()) {
        const std::size_t end = std::min(head.find('\n'), head.size());
        std::string_view line = head.substr(0, end);
        head.remove_prefix(std::min(end + 1, head.size()));
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (first) {
            // "RTSP/1.0 200 OK"
            first = false;
            const std::size_t space = line.find(' ');
            if (!line.starts_with("RTSP/") || space == std::string_view::npos) {
                throw std::invalid_argument("not an RTSP reply");
            }
            const std::string_view rest = line.substr(space + 1);
            const auto status = parse_camera_number<int>(rest.substr(0, 3));
            if (!status || *status < 100 || *status > 599 || (rest.size() > 3 && rest[3] != ' ')) {
                throw std::invalid_argument("an RTSP reply without a status code");
            }
            reply.status = *status;
            reply.reason =
                std::string{trim_spaces(rest.substr(std::min<std::size_t>(3, rest.size())))};
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        reply.headers.emplace(ascii_lower(trim_spaces(line.substr(0, colon))),
                              std::string{trim_spaces(line.substr(colon + 1))});
    }
    return reply;
}

RtspSession parse_session_header(const std::string& value) {
    RtspSession session;
    const std::size_t semicolon = std::min(value.find(';'), value.size());
    session.id = std::string{trim_spaces(std::string_view{value}.substr(0, semicolon))};
    const std::string rest = ascii_lower(value.substr(semicolon));
    if (const std::size_t at = rest.find("timeout="); at != std::string::npos) {
        const std::string_view digits =
            trim_spaces(std::string_view{rest}.substr(at + 8, rest.find(';', at) - at - 8));
        // Parsed wide, then held to what a keep-alive can serve: a camera that says five
        // million seconds gets a keep-alive every half hour. 0 or no number: the default.
        const auto seconds = parse_camera_number<std::uint64_t>(digits);
        if (seconds && *seconds > 0) {
            const auto shortest = static_cast<std::uint64_t>(k_shortest_session_timeout.count());
            const auto longest = static_cast<std::uint64_t>(k_longest_session_timeout.count());
            session.timeout = std::chrono::seconds{
                static_cast<std::int64_t>(std::clamp(*seconds, shortest, longest))};
        }
    }
    return session;
}

bool RtspAuthenticator::accept_challenge(const RtspReply& reply) {
    if (m_user.empty()) {
        return false;
    }
    bool basic = false;
    const auto [begin, end] = reply.headers.equal_range("www-authenticate");
    for (auto it = begin; it != end; ++it) {
        const std::string_view value = it->second;
        const std::string scheme =
            ascii_lower(value.substr(0, std::min(value.find(' '), value.size())));
        if (scheme == "digest") {
            auto parameters = challenge_parameters(value.substr(scheme.size()));
            const std::string algorithm = ascii_lower(parameters["algorithm"]);
            if (!algorithm.empty() && algorithm != "md5") {
                continue;
            }
            m_scheme = Scheme::digest;
            m_realm = parameters["realm"];
            m_nonce = parameters["nonce"];
            m_opaque = parameters["opaque"];
            m_qop_auth = ascii_lower(parameters["qop"]).find("auth") != std::string::npos;
            m_nonce_count = 0;
            return true;
        }
        if (scheme == "basic") {
            basic = true;
        }
    }
    if (basic) {
        m_scheme = Scheme::basic;
        return true;
    }
    return false;
}

std::string RtspAuthenticator::authorization(const std::string& method,
                                             const std::string& url) const {
    if (m_scheme == Scheme::basic) {
        const std::string pair = m_user + ":" + m_password;
        return "Basic " + base64_encode(std::span{
                              reinterpret_cast<const std::uint8_t*>(pair.data()), pair.size()});
    }
    if (m_scheme != Scheme::digest) {
        return {};
    }
    const std::string ha1 = md5_hex(m_user + ":" + m_realm + ":" + m_password);
    const std::string ha2 = md5_hex(method + ":" + url);
    std::string header = fmt::format(R"(Digest username="{}", realm="{}", nonce="{}", uri="{}")",
                                     m_user, m_realm, m_nonce, url);
    if (m_qop_auth) {
        const std::string count = fmt::format("{:08x}", ++m_nonce_count);
        const std::string cnonce =
            fmt::format("{:016x}", std::random_device{}() * 0x9e3779b97f4a7c15ULL);
        const std::string response =
            md5_hex(ha1 + ":" + m_nonce + ":" + count + ":" + cnonce + ":auth:" + ha2);
        header += fmt::format(R"(, qop=auth, nc={}, cnonce="{}", response="{}")", count, cnonce,
                              response);
    } else {
        header += fmt::format(R"(, response="{}")", md5_hex(ha1 + ":" + m_nonce + ":" + ha2));
    }
    if (!m_opaque.empty()) {
        header += fmt::format(R"(, opaque="{}")", m_opaque);
    }
    return header;
}

}  // namespace exam
