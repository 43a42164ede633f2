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

// Calls `take(NAME, value)` for each "name=value" of an fmtp line, NAME in upper case;
// items without "=" are skipped.
template <typename Take>
void for_each_format_parameter(std::string_view parameters, Take take) {
    while (!parameters.empty()) {
        const std::size_t end = std::min(parameters.find(';'), parameters.size());
        const std::string_view item = trim_spaces(parameters.substr(0, end));
        parameters.remove_prefix(std::min(end + 1, parameters.size()));
        const std::size_t equals = item.find('=');
        if (equals != std::string_view::npos) {
            take(ascii_upper(trim_spaces(item.substr(0, equals))),
                 trim_spaces(item.substr(equals + 1)));
        }
    }
}

void read_format_parameters(std::string_view parameters, VideoDescription& video) {
    std::vector<std::vector<std::uint8_t>> vps;
    std::vector<std::vector<std::uint8_t>> sps;
    std::vector<std::vector<std::uint8_t>> pps;
    for_each_format_parameter(parameters, [&](const std::string& name, std::string_view value) {
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
    });
    // H.265's sets in decoding order, whatever order the line gave them in.
    for (auto* sets : {&vps, &sps, &pps}) {
        for (auto& set : *sets) {
            video.parameter_sets.push_back(std::move(set));
        }
    }
}

}  // namespace

namespace {

// "video PORT PROTOCOL FORMAT...": the first format, the one preferred.
int first_format(std::string_view media) {
    for (int skip = 0; skip < 3; ++skip) {
        media.remove_prefix(std::min(media.find(' ') + 1, media.size()));
    }
    return to_int(media.substr(0, media.find(' ')), -1);
}

// "96 H264/90000" or "97 MPEG4-GENERIC/16000/2" after the payload type: codec, rate, channels.
struct RtpMap {
    std::string codec;
    int clock_rate = -1;  // not a number: -1, which RtspConnection::start refuses
    std::optional<int> channels;
};
RtpMap read_rtpmap(std::string_view rest) {
    RtpMap map;
    const std::size_t slash = std::min(rest.find('/'), rest.size());
    map.codec = ascii_upper(rest.substr(0, slash));
    if (slash < rest.size()) {
        const std::string_view rate = rest.substr(slash + 1);
        const std::size_t second = std::min(rate.find('/'), rate.size());
        map.clock_rate = to_int(rate.substr(0, second), -1);
        if (second < rate.size()) {
            map.channels = to_int(rate.substr(second + 1), -1);
        }
    }
    return map;
}

void read_audio_parameters(std::string_view parameters, AudioDescription& audio) {
    for_each_format_parameter(parameters, [&](const std::string& name, std::string_view value) {
        if (name == "CONFIG") {
            audio.config = std::string{value};
        } else if (name == "MODE") {
            audio.mode = std::string{value};
        } else if (name == "SIZELENGTH") {
            audio.size_length = to_int(value, -1);
        } else if (name == "INDEXLENGTH") {
            audio.index_length = to_int(value, -1);
        } else if (name == "INDEXDELTALENGTH") {
            audio.index_delta_length = to_int(value, -1);
        }
    });
}

// The static payload types of RFC 3551 that cameras send without an rtpmap.
void name_static_payload(AudioDescription& audio) {
    if (audio.payload_type == 0) {
        audio.codec = "PCMU";
    } else if (audio.payload_type == 8) {
        audio.codec = "PCMA";
    }
}

}  // namespace

SessionDescription parse_session_description(std::string_view text) {
    SessionDescription session;
    enum class Section { header, video, audio, other } section = Section::header;
    VideoDescription video;
    AudioDescription audio;
    bool has_video = false;
    bool has_audio = false;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = trim_spaces(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        if (line.size() < 2 || line[1] != '=') {
            continue;
        }
        const std::string_view value = line.substr(2);
        if (line[0] == 'm') {
            // The first video stream is the one recorded, and the first audio stream its sound.
            section = Section::other;
            if (value.starts_with("video ") && !has_video) {
                section = Section::video;
                has_video = true;
                video.payload_type = first_format(value);
            } else if (value.starts_with("audio ") && !has_audio) {
                section = Section::audio;
                has_audio = true;
                audio.payload_type = first_format(value);
                name_static_payload(audio);
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
            (section == Section::video   ? video.control
             : section == Section::audio ? audio.control
                                         : session.control) = std::string{content};
            continue;
        }
        if (section != Section::video && section != Section::audio) {
            continue;
        }
        const int payload_type =
            section == Section::video ? video.payload_type : audio.payload_type;
        const std::size_t space = std::min(content.find(' '), content.size());
        if (to_int(content.substr(0, space), -2) != payload_type) {
            continue;
        }
        const std::string_view rest =
            trim_spaces(content.substr(std::min(space + 1, content.size())));
        if (attribute == "rtpmap" && section == Section::video) {
            const RtpMap map = read_rtpmap(rest);
            video.codec = map.codec;
            if (rest.find('/') != std::string_view::npos) {
                video.clock_rate = map.clock_rate;
            }
        } else if (attribute == "rtpmap") {
            const RtpMap map = read_rtpmap(rest);
            audio.codec = map.codec;
            if (rest.find('/') != std::string_view::npos) {
                audio.clock_rate = map.clock_rate;
            }
            audio.channels = map.channels.value_or(1);
        } else if (attribute == "fmtp" && section == Section::video) {
            read_format_parameters(rest, video);
        } else if (attribute == "fmtp") {
            read_audio_parameters(rest, audio);
        }
    }
    if (has_video) {
        session.video = std::move(video);
    }
    if (has_audio) {
        session.audio = std::move(audio);
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
