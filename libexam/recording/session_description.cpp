#include "recording/session_description.hpp"
#include <algorithm>
#include <cctype>

#include <exam/util/base64.hpp>
#include <exam/util/text.hpp>

#include "recording/camera_limits.hpp"

namespace exam {
namespace {

// A number of the description, or `otherwise` when it is none or does not fit an int; the
// ranges are judged where the numbers are used (RtspConnection::start).
int to_int(std::string_view text, int otherwise) {
    return parse_camera_number<int>(text).value_or(otherwise);
}

// base64 as cameras write it: padding is often left off.
std::optional<std::vector<std::uint8_t>> decode_parameter_set(std::string_view text) {
    std::string padded{trim_spaces(text)};
    while (padded.size() % 4 != 0) {
        padded += '=';
    }
    return base64_decode(padded);
}

// "96 packetization-mode=1;profile-level-id=42e01f;sprop-parameter-sets=Z0LAH9oB,aM4G4g=="
// "Z0LAH9oB,aM4G4g==": base64 sets, comma separated.
void add_parameter_sets(std::string_view sets, std::vector<std::vector<std::uint8_t>>& into) {
    while (!sets.empty()) {
        const std::size_t comma = std::min(sets.find(','), sets.size());
        if (auto set = decode_parameter_set(sets.substr(0, comma)); set && !set->empty()) {
            into.push_back(std::move(*set));
        }
        sets.remove_prefix(std::min(comma + 1, sets.size()));
    }
}

void read_format_parameters(std::string_view parameters, VideoDescription& video) {
    std::vector<std::vector<std::uint8_t>> vps;
    std::vector<std::vector<std::uint8_t>> sps;
    std::vector<std::vector<std::uint8_t>> pps;
    while (!parameters.empty()) {
        const std::size_t end = std::min(parameters.find(';'), parameters.size());
        const std::string_view item = trim_spaces(parameters.substr(0, end));
        parameters.remove_prefix(std::min(end + 1, parameters.size()));
        const std::size_t equals = item.find('=');
        if (equals == std::string_view::npos) {
            continue;
        }
        const std::string name = ascii_upper(trim_spaces(item.substr(0, equals)));
        const std::string_view value = trim_spaces(item.substr(equals + 1));
        if (name == "PACKETIZATION-MODE") {
            video.packetization_mode = to_int(value, -1);  // not a number: a mode we lack
        } else if (name == "SPROP-MAX-DON-DIFF") {
            // Not a number: taken as there being some, which this reader does not speak.
            video.decoding_order_numbers = to_int(value, 1) > 0;
        } else if (name == "SPROP-PARAMETER-SETS") {
            add_parameter_sets(value, video.parameter_sets);
        } else if (name == "SPROP-VPS") {
            add_parameter_sets(value, vps);
        } else if (name == "SPROP-SPS") {
            add_parameter_sets(value, sps);
        } else if (name == "SPROP-PPS") {
            add_parameter_sets(value, pps);
        }
    }
    // H.265's sets in decoding order, whatever order the line gave them in.
    for (auto* sets : {&vps, &sps, &pps}) {
        for (auto& set : *sets) {
            video.parameter_sets.push_back(std::move(set));
        }
    }
}

}  // namespace

SessionDescription parse_session_description(std::string_view text) {
    SessionDescription session;
    enum class Section { header, video, other } section = Section::header;
    VideoDescription video;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = trim_spaces(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        if (line.size() < 2 || line[1] != '=') {
            continue;
        }
        const std::string_view value = line.substr(2);
        if (line[0] == 'm') {
            if (section == Section::video) {
                break;  // the first video stream is the one recorded
            }
            // "video 0 RTP/AVP 96"
            if (value.starts_with("video ")) {
                section = Section::video;
                // "video PORT PROTOCOL FORMAT...": the first format is the one preferred.
                std::string_view fields = value;
                for (int skip = 0; skip < 3; ++skip) {
                    fields.remove_prefix(std::min(fields.find(' ') + 1, fields.size()));
                }
                video.payload_type = to_int(fields.substr(0, fields.find(' ')), -1);
            } else {
                section = Section::other;
            }
            continue;
        }
        if (line[0] != 'a') {
            continue;
        }
        const std::size_t colon = std::min(value.find(':'), value.size());
        const std::string_view attribute = value.substr(0, colon);
        const std::string_view content =
            colon < value.size() ? trim_spaces(value.substr(colon + 1)) : std::string_view{};
        if (attribute == "control" && section != Section::other) {
            (section == Section::video ? video.control : session.control) = std::string{content};
            continue;
        }
        if (section != Section::video) {
            continue;
        }
        const std::size_t space = std::min(content.find(' '), content.size());
        if (to_int(content.substr(0, space), -2) != video.payload_type) {
            continue;
        }
        const std::string_view rest =
            trim_spaces(content.substr(std::min(space + 1, content.size())));
        if (attribute == "rtpmap") {
            // "96 H264/90000"
            const std::size_t slash = std::min(rest.find('/'), rest.size());
            video.codec = ascii_upper(rest.substr(0, slash));
            if (slash < rest.size()) {
                const std::string_view rate = rest.substr(slash + 1);
                // Not a number: -1, which RtspConnection::start refuses.
                video.clock_rate =
                    to_int(rate.substr(0, std::min(rate.find('/'), rate.size())), -1);
            }
        } else if (attribute == "fmtp") {
            read_format_parameters(rest, video);
        }
    }
    if (section == Section::video) {
        session.video = std::move(video);
    }
    return session;
}

std::string resolve_control(const std::string& base, const std::string& control) {
    if (control.empty() || control == "*") {
        return base;
    }
    if (control.find("://") != std::string::npos) {
        return control;
    }
    if (control.starts_with('/')) {
        // An absolute path: on the base's host.
        const std::size_t scheme = base.find("://");
        const std::size_t path =
            scheme == std::string::npos ? std::string::npos : base.find('/', scheme + 3);
        return (path == std::string::npos ? base : base.substr(0, path)) + control;
    }
    if (!base.empty() && base.back() == '/') {
        return base + control;
    }
    return base + "/" + control;
}

}  // namespace exam
