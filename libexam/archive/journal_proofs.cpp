#include <charconv>
#include <set>

#include <exam/archive/journal_proofs.hpp>
#include <exam/journal/merkle.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

struct SegmentNote {
    std::string file;
    std::string sha256;
    std::uint64_t bytes = 0;
};

// "FILE sha256 HEX bytes N" (segment_note), read from the right: the file name comes first
// and is the only part that could hold a space.
std::optional<SegmentNote> parse_segment_note(std::string_view note) {
    const std::size_t hash_at = note.rfind(" sha256 ");
    const std::size_t bytes_at = note.rfind(" bytes ");
    if (hash_at == std::string_view::npos || bytes_at == std::string_view::npos ||
        bytes_at < hash_at) {
        return std::nullopt;
    }
    SegmentNote parsed{.file = std::string{note.substr(0, hash_at)},
                       .sha256 = std::string{note.substr(hash_at + 8, bytes_at - hash_at - 8)}};
    const std::string_view count = note.substr(bytes_at + 7);
    const auto [end, error] =
        std::from_chars(count.data(), count.data() + count.size(), parsed.bytes);
    if (error != std::errc{} || end != count.data() + count.size()) {
        return std::nullopt;
    }
    return parsed;
}

}  // namespace

SegmentProofs segment_proofs(Journal& journal, std::span<const std::string> files) {
    auto latest = journal.latest_checkpoint();
    const std::uint64_t covered = latest ? latest->checkpoint.tree_size : 0;
    // Proofs need a checkpoint over every entry asked about: sign one now if we may.
    if (!journal.read_only() && journal.size() > covered) {
        journal.close();
        latest = journal.latest_checkpoint();
    }
    SegmentProofs proofs;
    if (!latest) {
        return proofs;
    }
    const std::uint64_t tree_size = latest->checkpoint.tree_size;
    proofs.checkpoint =
        ManifestCheckpoint{.note = latest->note,
                           .tree_size = tree_size,
                           .root_hash = base64_encode(latest->checkpoint.root_hash)};

    const std::set<std::string, std::less<>> wanted(files.begin(), files.end());
    std::map<std::string, JournalEntry> entries;  // the latest entry of each wanted file
    std::vector<merkle::Hash> leaves;
    leaves.reserve(static_cast<std::size_t>(tree_size));
    for_each_entry(journal.database(), [&](const JournalEntry& entry, const merkle::Hash& hash) {
        if (entry.seq >= tree_size) {
            return;
        }
        leaves.push_back(hash);
        if (entry.kind != EntryKind::segment || !entry.note) {
            return;
        }
        if (const auto note = parse_segment_note(*entry.note);
            note && wanted.contains(note->file)) {
            entries.insert_or_assign(note->file, entry);
        }
    });
    if (leaves.size() != tree_size) {
        throw StorageError(
            _f("the journal {} holds {} entries below its latest checkpoint's tree "
               "size {}; run 'exam-journal verify' on it",
               journal.file().string(), leaves.size(), tree_size));
    }
    for (const auto& [file, entry] : entries) {
        std::string leaf = leaf_bytes(entry);
        if (merkle::leaf_hash(leaf) != leaves[entry.seq]) {
            throw StorageError(
                _f("journal entry {} of {} does not match its stored hash: the "
                   "journal was altered; run 'exam-journal verify' on it",
                   entry.seq, journal.file().string()));
        }
        const auto note = parse_segment_note(*entry.note);
        JournalledSegment segment{.sha256 = note->sha256, .bytes = note->bytes};
        segment.proof.seq = entry.seq;
        segment.proof.leaf = std::move(leaf);
        for (const merkle::Hash& hash : merkle::inclusion_proof(leaves, entry.seq, tree_size)) {
            segment.proof.proof.push_back(base64_encode(hash));
        }
        proofs.by_file.emplace(file, std::move(segment));
    }
    return proofs;
}

}  // namespace exam
