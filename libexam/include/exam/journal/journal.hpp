// The journal store: an append-only SQLite table of entries, each hashed into an RFC 6962
// Merkle tree whose checkpoints are signed with the exam point's key. Appends are durable
// before they return (WAL, synchronous=FULL) and serialised across processes (BEGIN
// IMMEDIATE), so two entrance terminals on one host both succeed in one consistent order.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <exam/core/signing.hpp>
#include <exam/core/site.hpp>
#include <exam/export.hpp>
#include <exam/journal/checkpoint.hpp>
#include <exam/journal/entry.hpp>

namespace exam {

// The secrets `exam-journal init` creates in the site's keys folder.
struct JournalKeyFiles {
    std::filesystem::path signing_key;
    std::filesystem::path document_secret;
    static JournalKeyFiles in(const SitePaths& paths);
};

struct StoredCheckpoint {
    Checkpoint checkpoint;
    std::string note;  // the signed note exactly as stored
    TimePoint signed_at;
};

class EXAM_EXPORT Journal {
public:
    using InTransaction = std::function<void(SQLite::Database&, const JournalEntry&)>;

    // Creates the journal and the keys; refuses (StorageError) when any of them exists.
    // Returns the public key, to be printed and written on paper.
    static VerifierKey initialize(const Site& site);
    // The site's journal, for writing: needs the journal and both key files.
    static Journal open(const Site& site);
    // A journal or a backup copy, for reading only (auditors): writes nothing, even a
    // checkpoint, and every append refuses.
    static Journal open_read_only(const std::filesystem::path& file);

    Journal(Journal&&) noexcept;
    Journal& operator=(Journal&&) = delete;
    // Signs a checkpoint still pending from batching; errors are swallowed here, so call
    // close() where they matter.
    ~Journal();

    // Signs whatever the latest checkpoint does not cover yet.
    void close();

    // Fills seq, time, region and ppe, writes the entry, extends the tree and, unless a
    // checkpoint was signed less than a second ago, signs one; `also` runs in the same
    // transaction (admission updates who is inside there). Durable when it returns.
    JournalEntry append(JournalEntry draft, const InTransaction& also = {});
    // Many entries in one transaction (one sync), signed by one checkpoint: for imports,
    // the recorder's bursts and benchmarks. Same leaves, same tree as one by one.
    void append_batch(std::vector<JournalEntry> drafts);

    [[nodiscard]] bool read_only() const { return !m_signing_key.has_value(); }
    [[nodiscard]] const std::filesystem::path& file() const { return m_file; }
    [[nodiscard]] const std::string& region() const { return m_region; }
    [[nodiscard]] const std::string& ppe() const { return m_ppe; }
    [[nodiscard]] const std::string& origin() const { return m_origin; }
    [[nodiscard]] std::optional<VerifierKey> stored_public_key() const { return m_public_key; }
    [[nodiscard]] SQLite::Database& database() { return m_database; }

    [[nodiscard]] std::uint64_t size();
    [[nodiscard]] std::optional<StoredCheckpoint> latest_checkpoint();
    [[nodiscard]] std::vector<StoredCheckpoint> checkpoints();

    // hex HMAC-SHA-256 of a normalised document number under the site secret.
    [[nodiscard]] std::string document_hmac(std::string_view normalised_number) const;

private:
    Journal(SQLite::Database database, std::filesystem::path file);
    void load_meta();
    void sign_checkpoint_locked(TimePoint now);
    // Inside an open write transaction: numbers, stamps, stores and hashes one entry.
    JournalEntry append_locked(JournalEntry draft, SQLite::Statement& insert,
                               merkle::CompactRange& range, TimePoint& last_time);
    void store_tree_state(const merkle::CompactRange& range);
    merkle::CompactRange load_tree_state(TimePoint& last_time);
    void refuse_if_read_only(std::string_view what) const;

    SQLite::Database m_database;
    std::filesystem::path m_file;
    std::string m_region;
    std::string m_ppe;
    std::string m_origin;
    std::optional<VerifierKey> m_public_key;
    std::optional<SigningKey> m_signing_key;
    std::string m_document_secret;
};

// Reads the entries in seq order, as stored, with their stored leaf hashes: all of them, or
// those matching `where` (SQL over the entry table's columns, with `?` bound to `values`).
EXAM_EXPORT void for_each_entry(
    SQLite::Database& database,
    const std::function<void(const JournalEntry&, const merkle::Hash&)>& visit,
    std::string_view where = {}, std::span<const std::string> values = {});

}  // namespace exam
