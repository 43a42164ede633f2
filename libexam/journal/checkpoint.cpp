#include <charconv>

#include <fmt/format.h>

#include <exam/journal/checkpoint.hpp>
#include <exam/util/base64.hpp>

namespace exam {

std::string journal_origin(std::string_view region, std::string_view ppe) {
    return fmt::format("examkit/ppe/{}/{}", region, ppe);
}

std::string checkpoint_text(const Checkpoint& checkpoint) {
    return fmt::format("{}\n{}\n{}\n", checkpoint.origin, checkpoint.tree_size,
                       base64_encode(checkpoint.root_hash));
}

std::optional<Checkpoint> parse_checkpoint_text(std::string_view text) {
    Checkpoint checkpoint;
    std::string_view lines[3];
    for (auto& line : lines) {
        const std::size_t end = text.find('\n');
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        line = text.substr(0, end);
        text.remove_prefix(end + 1);
    }
    if (!text.empty() || lines[0].empty()) {
        return std::nullopt;
    }
    checkpoint.origin = std::string{lines[0]};
    const auto [end, error] =
        std::from_chars(lines[1].data(), lines[1].data() + lines[1].size(), checkpoint.tree_size);
    if (error != std::errc{} || end != lines[1].data() + lines[1].size() ||
        (lines[1].size() > 1 && lines[1][0] == '0')) {
        return std::nullopt;
    }
    const auto root = base64_decode(lines[2]);
    if (!root || root->size() != checkpoint.root_hash.size()) {
        return std::nullopt;
    }
    std::copy(root->begin(), root->end(), checkpoint.root_hash.begin());
    return checkpoint;
}

std::optional<Checkpoint> open_checkpoint(std::string_view note, const VerifierKey& key) {
    const auto text = open_note(note, key);
    if (!text) {
        return std::nullopt;
    }
    return parse_checkpoint_text(*text);
}

}  // namespace exam
