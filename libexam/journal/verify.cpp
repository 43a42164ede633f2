#include <cerrno>
#include <cstring>
#include <fstream>
#include <future>
#include <map>
#include <sstream>

#include <exam/journal/verify.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>
#include <exam/util/sqlite.hpp>
#include <exam/util/translate.hpp>

#include "journal/verify_unsigned.hpp"

namespace exam {
namespace {

void fail(VerifyReport& report, std::string problem) {
    if (report.ok) {
        report.ok = false;
        report.problem = std::move(problem);
    }
}

// The outside checkpoint laid out again; refused before the long pass over the journal when
// it is no signed note: a paper that gives only size and root is checked by those.
std::optional<std::string> outside_note(const VerifyOptions& options) {
    if (!options.external_checkpoint) {
        return std::nullopt;
    }
    std::string note = note_from_copy(*options.external_checkpoint);
    if (note_has_signature(note)) {
        return note;
    }
    if (const auto unsigned_checkpoint = parse_checkpoint_text(note)) {
        throw InputError(
            _f("the given checkpoint has no signature line, only its origin, size and root; "
               "check the journal against those with 'exam-journal verify --size {} --root {}' "
               "(against the paper's size and root, not a signature), or copy the whole "
               "checkpoint with its line \"\u2014 {} …\"",
               unsigned_checkpoint->tree_size, base64_encode(unsigned_checkpoint->root_hash),
               unsigned_checkpoint->origin));
    }
    throw InputError(
        _("the given checkpoint is not a checkpoint: expected its three lines (origin, entry "
          "count, root hash), a blank line and its signature line, as 'exam-journal checkpoint' "
          "and the readiness protocol print it"));
}

// The key to trust: the auditor's, else the exam point's own when the journal is its, else
// the one the journal carries (integrity only).
void choose_key(Journal& journal, const VerifyOptions& options, VerifyReport& report,
                std::optional<VerifierKey>& key) {
    if (options.public_key) {
        key = options.public_key;
        report.key_source = KeySource::option;
    } else if (options.site_key && options.site_key->name() == journal.origin()) {
        key = options.site_key;
        report.key_source = KeySource::site;
    } else {
        key = journal.stored_public_key();
        report.key_source = KeySource::journal;
        report.key_from_journal = true;
        report.why_no_own_key = options.site_key
                                    ? _f("the site file is that of {}, the journal that of {}",
                                         options.site_key->name(), journal.origin())
                                    : options.site_key_problem;
    }
}

void check_paper(const std::vector<merkle::Hash>& leaves, const PaperCheckpoint& paper,
                 VerifyReport& report) {
    if (paper.tree_size > leaves.size()) {
        report.failed_checkpoint = paper.tree_size;
        fail(report, _f("the journal was cut: the paper's checkpoint covers {} entries, the "
                        "journal holds {}",
                        paper.tree_size, leaves.size()));
        return;
    }
    const merkle::Hash root = merkle::root(std::span{leaves}.first(paper.tree_size));
    if (root != paper.root_hash) {
        report.failed_checkpoint = paper.tree_size;
        fail(report, _f("the journal does not match the paper: the root of its first {} entries "
                        "is {}, the paper says {}; entries it covered were altered or replaced "
                        "(or the size or root was misread from the paper)",
                        paper.tree_size, base64_encode(root), base64_encode(paper.root_hash)));
        return;
    }
    report.notes.push_back(
        _f("the journal's first {} entries have the root written on the paper ({}): checked "
           "against the paper's size and root, not a signature",
           paper.tree_size, base64_encode(paper.root_hash)));
}

}  // namespace

std::string_view to_string(KeySource source) {
    switch (source) {
        case KeySource::option: return "option";
        case KeySource::site: return "site";
        case KeySource::journal: return "journal";
    }
    return "journal";
}

ExitCode verify_exit_code(const VerifyReport& report) {
    if (!report.ok) {
        return ExitCode::negative;
    }
    return report.key_from_journal ? ExitCode::could_not_check : ExitCode::ok;
}

std::optional<VerifierKey> site_public_key(const Site& site, std::string& why) {
    const std::filesystem::path file = JournalKeyFiles::in(site.paths).signing_key;
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        why = _f("the exam point's keys folder holds no signing key ({})", file.string());
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        why = _f("cannot read the exam point's signing key {}: {}", file.string(),
                 std::strerror(errno));
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return SigningKey::parse(text.str(), file.string()).verifier();
}

namespace {
VerifyReport verify_journal_file(Journal& journal, const VerifyOptions& options);
}  // namespace

VerifyReport verify_journal(Journal& journal, const VerifyOptions& options) {
    // A file damaged past what the integrity check reports (found by fuzz/journal_verify):
    // SQLite's own exception never leaves the library, the damaged-file StorageError does.
    try {
        return verify_journal_file(journal, options);
    } catch (const SQLite::Exception& e) {
        throw database_error(journal.database().getFilename(), e);
    }
}

namespace {

VerifyReport verify_journal_file(Journal& journal, const VerifyOptions& options) {
    VerifyReport report;
    const std::optional<std::string> outside = outside_note(options);
    // A file SQLite itself finds damaged is not read on: StorageError, "restore the backup".
    verify_unsigned::check_file_structure(journal);
    std::optional<VerifierKey> key;
    choose_key(journal, options, report, key);
    if (!key) {
        fail(report, _("the journal holds no valid public key; pass the exam point's key with "
                       "--public-key"));
        return report;
    }
    report.key_used = key->to_text();
    report.fingerprint = key->fingerprint();

    // 1. Every entry, in order: its seq, its place in time, its leaf. Reading rows and writing
    // leaf bytes (this thread) overlaps with hashing them (a second thread), a chunk at a time.
    // The tree is built as the leaves arrive, noting its root at every checkpoint's size.
    const std::vector<StoredCheckpoint> stored_checkpoints = journal.checkpoints();
    std::map<std::uint64_t, merkle::Hash> roots_at;
    for (const StoredCheckpoint& stored : stored_checkpoints) {
        roots_at.emplace(stored.checkpoint.tree_size, merkle::Hash{});
    }
    merkle::CompactRange range;
    std::vector<merkle::Hash> leaves;
    std::optional<TimePoint> previous_time;
    verify_unsigned::Replay replay;
    std::optional<std::uint64_t> first_altered;
    struct Chunk {
        std::uint64_t first_seq = 0;
        std::string bytes;              // the chunk's leaves, back to back
        std::vector<std::size_t> ends;  // where each leaf ends in `bytes`
        std::vector<merkle::Hash> stored;
    };
    constexpr std::size_t k_chunk = 8192;
    Chunk filling;
    std::future<void> hashing;
    auto hash_chunk = [&leaves, &first_altered, &range, &roots_at](Chunk chunk) {
        std::size_t begin = 0;
        for (std::size_t i = 0; i < chunk.ends.size(); ++i) {
            const merkle::Hash recomputed = merkle::leaf_hash(
                std::string_view{chunk.bytes}.substr(begin, chunk.ends[i] - begin));
            begin = chunk.ends[i];
            if (recomputed != chunk.stored[i] && !first_altered) {
                first_altered = chunk.first_seq + i;
            }
            leaves.push_back(recomputed);
            range.append(recomputed);
            if (const auto at = roots_at.find(range.size()); at != roots_at.end()) {
                at->second = range.root();
            }
        }
    };
    auto hand_over = [&] {
        if (hashing.valid()) {
            hashing.get();
        }
        hashing = std::async(std::launch::async, hash_chunk, std::move(filling));
        filling = Chunk{};
        filling.bytes.reserve(k_chunk * 400);
        filling.ends.reserve(k_chunk);
        filling.stored.reserve(k_chunk);
    };
    std::uint64_t expected = 0;
    for_each_entry(journal.database(), [&](const JournalEntry& entry, const merkle::Hash& stored) {
        if (report.ok && entry.seq != expected) {
            report.failed_entry = expected;
            fail(report, _f("entry {} is missing: the next entry stored is {}, so entries were "
                            "deleted",
                            expected, entry.seq));
        }
        if (report.ok && previous_time && entry.time < *previous_time) {
            report.failed_entry = entry.seq;
            fail(report, _f("entry {} is out of order: its time {} is before the entry before it",
                            entry.seq, format_utc(entry.time)));
        }
        if (report.ok && (entry.region != journal.region() || entry.ppe != journal.ppe())) {
            report.failed_entry = entry.seq;
            fail(report, _f("entry {} names exam point {}/{}, not this journal's {}/{}", entry.seq,
                            entry.region, entry.ppe, journal.region(), journal.ppe()));
        }
        previous_time = entry.time;
        replay.add(entry);
        if (filling.ends.empty()) {
            filling.first_seq = expected;
        }
        append_leaf_bytes(filling.bytes, entry);
        filling.ends.push_back(filling.bytes.size());
        filling.stored.push_back(stored);
        ++expected;
        if (filling.ends.size() == k_chunk) {
            hand_over();
        }
    });
    hand_over();
    hashing.get();
    // An altered entry earlier than any other problem is the first thing to report.
    if (first_altered &&
        (report.ok || (report.failed_entry && *first_altered < *report.failed_entry))) {
        report.ok = true;
        report.failed_entry = *first_altered;
        fail(report, _f("entry {} was altered: its fields no longer match the hash recorded "
                        "when it was appended",
                        *first_altered));
    }
    report.entries = leaves.size();

    // 2. Every stored checkpoint: signed by the key, and the root of that many leaves.
    std::uint64_t covered = 0;
    for (const StoredCheckpoint& stored : stored_checkpoints) {
        ++report.checkpoints;
        const std::uint64_t size = stored.checkpoint.tree_size;
        const auto opened = open_checkpoint(stored.note, *key);
        if (!opened) {
            report.failed_checkpoint = size;
            fail(report, _f("the checkpoint at tree size {} does not carry a valid signature by "
                            "{}",
                            size, key->name()));
            break;
        }
        if (opened->tree_size != size || opened->root_hash != stored.checkpoint.root_hash ||
            opened->origin != journal.origin()) {
            report.failed_checkpoint = size;
            fail(report, _f("the checkpoint at tree size {} was replaced: its stored size or root "
                            "differs from its signed note",
                            size));
            break;
        }
        if (size > leaves.size()) {
            report.failed_checkpoint = size;
            fail(report, _f("the checkpoint at tree size {} covers entries the journal no longer "
                            "has (it holds {}): the journal was cut",
                            size, leaves.size()));
            break;
        }
        const merkle::Hash rebuilt = size == 0 ? merkle::empty_root() : roots_at.at(size);
        if (rebuilt != opened->root_hash) {
            report.failed_checkpoint = size;
            fail(report, _f("the checkpoint at tree size {} does not match the entries: some of "
                            "entries 0 to {} were altered, replaced or reordered",
                            size, size - 1));
            break;
        }
        covered = size;
    }
    report.unsigned_tail = leaves.size() - std::min<std::uint64_t>(covered, leaves.size());

    // 2b. What no signature covers must agree with what does.
    if (report.ok) {
        if (const auto problem = replay.problem(journal, *key, report.key_source, range)) {
            fail(report, *problem);
        }
    }
    report.unchecked = verify_unsigned::unchecked_parts();
    if (report.ok && report.checkpoints > 0) {
        report.notes.push_back(
            _("each checkpoint's root equals the tree rebuilt from the entries, "
              "so each is consistent with the next"));
    }

    // 3. A checkpoint from outside: the journal must still extend it.
    if (outside && report.ok) {
        const auto opened = open_checkpoint(*outside, *key);
        if (!opened) {
            fail(report, _f("the given checkpoint does not carry a valid signature by {} (key "
                            "fingerprint {}): another key signed it, or its text was changed",
                            key->name(), key->fingerprint()));
        } else if (opened->origin != journal.origin()) {
            fail(report, _f("the given checkpoint is for \"{}\", not this journal's \"{}\"",
                            opened->origin, journal.origin()));
        } else if (opened->tree_size > leaves.size()) {
            report.failed_checkpoint = opened->tree_size;
            fail(report, _f("the journal was cut: the given checkpoint covers {} entries, the "
                            "journal holds {}",
                            opened->tree_size, leaves.size()));
        } else {
            const auto latest = journal.latest_checkpoint();
            const std::uint64_t new_size =
                latest ? std::max(latest->checkpoint.tree_size, opened->tree_size)
                       : opened->tree_size;
            const auto proof = merkle::consistency_proof(leaves, opened->tree_size, new_size);
            const merkle::Hash new_root = merkle::root(std::span{leaves}.first(new_size));
            if (!merkle::verify_consistency(opened->tree_size, new_size, opened->root_hash,
                                            new_root, proof)) {
                report.failed_checkpoint = opened->tree_size;
                fail(report, _f("the journal does not extend the given checkpoint at tree size "
                                "{}: entries it covered were altered or replaced",
                                opened->tree_size));
            } else {
                report.notes.push_back(
                    _f("the journal extends the given checkpoint at tree size "
                       "{} (consistency proof to size {} checked)",
                       opened->tree_size, new_size));
            }
        }
    }

    // 4. A checkpoint from paper by its size and root: the journal's first entries must have
    // that root. No signature is checked, and the report says so.
    if (options.paper_checkpoint) {
        report.paper = options.paper_checkpoint;
        if (report.ok) {
            check_paper(leaves, *options.paper_checkpoint, report);
        }
    }
    return report;
}

}  // namespace

InclusionProof prove_inclusion(Journal& journal, std::uint64_t seq) {
    const auto latest = journal.latest_checkpoint();
    if (!latest || seq >= latest->checkpoint.tree_size) {
        throw InputError(
            _f("entry {} is not covered by a checkpoint yet (the latest covers {} "
               "entries)",
               seq, latest ? latest->checkpoint.tree_size : 0));
    }
    std::vector<merkle::Hash> leaves;
    for_each_entry(journal.database(), [&](const JournalEntry& entry, const merkle::Hash&) {
        if (leaves.size() < latest->checkpoint.tree_size) {
            leaves.push_back(merkle::leaf_hash(leaf_bytes(entry)));
        }
    });
    if (leaves.size() < latest->checkpoint.tree_size) {
        throw InputError(
            _("the journal holds fewer entries than its latest checkpoint; run "
              "'exam-journal verify'"));
    }
    InclusionProof result;
    result.index = seq;
    result.tree_size = latest->checkpoint.tree_size;
    result.leaf_hash = leaves[seq];
    result.proof = merkle::inclusion_proof(leaves, seq, result.tree_size);
    result.root_hash = latest->checkpoint.root_hash;
    return result;
}

}  // namespace exam
