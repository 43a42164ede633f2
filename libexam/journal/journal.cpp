#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <grp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <exam/journal/journal.hpp>
#include <exam/journal/names.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/sha256.hpp>
#include <exam/util/translate.hpp>

#include "journal/schema.hpp"

namespace exam {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Batching under load: at most one checkpoint a second while appends keep coming.
constexpr auto k_checkpoint_interval = 1s;

// Who may write the journal (docs/SECURITY.md): the operators — the service, the desk, the
// pre-check — are the members of the site's control group ("examkit" on an installed exam
// point). They append and sign, so the group reads the keys and writes the journal; nobody
// else does either. nullopt: no such group here (a developer's machine): the files keep the
// user's own group, with the same modes.
std::optional<gid_t> operators_group(const std::string& name) {
    if (const group* found = ::getgrnam(name.c_str())) {
        return found->gr_gid;
    }
    return std::nullopt;
}

void give_to_group(const fs::path& path, std::optional<gid_t> group) {
    if (group) {
        // Only root or a member may give a file to a group: a user outside it keeps the file
        // in their own group, which is no wider.
        [[maybe_unused]] const int refused = ::chown(path.c_str(), static_cast<uid_t>(-1), *group);
    }
}

std::string read_secret_file(const fs::path& file) {
    std::string content = read_text_file(
        file, _("the journal's key"), FileRole::configuration,
        _("the journal's keys are missing: run 'exam-journal init' on a new exam point, or "
          "restore the keys folder from its backup"));
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
        content.pop_back();
    }
    return content;
}

std::string meta_value(SQLite::Database& database, const char* key) {
    SQLite::Statement query(database, "SELECT value FROM meta WHERE key = ?");
    query.bind(1, key);
    if (!query.executeStep()) {
        throw StorageError(
            _f("the journal has no \"{}\" record: it was not made by "
               "'exam-journal init' or was damaged",
               key));
    }
    return query.getColumn(0).getString();
}

std::vector<merkle::Hash> decode_peaks(const SQLite::Column& column) {
    const auto* bytes = static_cast<const std::uint8_t*>(column.getBlob());
    const auto size = static_cast<std::size_t>(column.getBytes());
    std::vector<merkle::Hash> peaks(size / 32);
    for (std::size_t i = 0; i < peaks.size(); ++i) {
        std::copy(bytes + i * 32, bytes + (i + 1) * 32, peaks[i].begin());
    }
    return peaks;
}

merkle::Hash column_hash(const SQLite::Column& column) {
    merkle::Hash hash{};
    if (column.getBytes() == static_cast<int>(hash.size())) {
        const auto* bytes = static_cast<const std::uint8_t*>(column.getBlob());
        std::copy(bytes, bytes + hash.size(), hash.begin());
    }
    return hash;
}

void bind_optional(SQLite::Statement& statement, int index,
                   const std::optional<std::string>& value) {
    if (value) {
        statement.bind(index, *value);
    } else {
        statement.bind(index);
    }
}

StoredCheckpoint read_checkpoint(SQLite::Statement& query) {
    StoredCheckpoint stored;
    stored.checkpoint.tree_size = static_cast<std::uint64_t>(query.getColumn(0).getInt64());
    stored.checkpoint.root_hash = column_hash(query.getColumn(1));
    stored.signed_at = parse_utc(query.getColumn(2).getString()).value_or(TimePoint{});
    stored.note = query.getColumn(3).getString();
    if (const auto parsed =
            parse_checkpoint_text(stored.note.substr(0, stored.note.find("\n\n") + 1))) {
        stored.checkpoint.origin = parsed->origin;
    }
    return stored;
}

}  // namespace

JournalKeyFiles JournalKeyFiles::in(const SitePaths& paths) {
    return JournalKeyFiles{paths.keys / "journal-signing.key", paths.keys / "document-secret.key"};
}

Journal::Journal(SQLite::Database database, fs::path file)
    : m_database(std::move(database)), m_file(std::move(file)) {}

Journal::Journal(Journal&&) noexcept = default;

Journal::~Journal() {
    try {
        close();
    } catch (...) {
        // A destructor must not throw; close() reports the same failure where it is called.
    }
}

VerifierKey Journal::initialize(const Site& site) {
    const JournalKeyFiles keys = JournalKeyFiles::in(site.paths);
    for (const fs::path& existing : {site.paths.journal, keys.signing_key, keys.document_secret}) {
        std::error_code error;
        if (fs::exists(existing, error)) {
            throw StorageError(
                _f("\"{}\" already exists; 'exam-journal init' never overwrites "
                   "a journal or its keys. Move it away first if you really mean "
                   "to start a new journal",
                   existing.string()));
        }
    }
    const std::optional<gid_t> operators = operators_group(site.service.control_group);
    std::error_code error;
    fs::create_directories(site.paths.keys, error);
    ::chmod(site.paths.keys.c_str(), 0750);
    give_to_group(site.paths.keys, operators);
    const fs::path journal_folder = site.paths.journal.parent_path();
    if (fs::create_directories(journal_folder, error)) {
        // SQLite writes its write-ahead log beside the journal: the operators need the folder
        // too, and what is made in it keeps their group (setgid).
        ::chmod(journal_folder.c_str(), 02770);
        give_to_group(journal_folder, operators);
    }

    const std::string origin = journal_origin(site.region_code, site.ppe_code);
    const SigningKey signing_key = SigningKey::generate(origin);
    std::array<std::uint8_t, 32> secret{};
    if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
        throw InternalError("OpenSSL's random generator failed");
    }
    write_file_atomically(keys.signing_key, signing_key.to_text() + "\n", 0640, Overwrite::refuse);
    give_to_group(keys.signing_key, operators);
    write_file_atomically(keys.document_secret, to_hex(secret) + "\n", 0640, Overwrite::refuse);
    give_to_group(keys.document_secret, operators);

    SQLite::Database database = open_database(
        site.paths.journal, DatabaseOptions{.access = DatabaseAccess::create_or_open,
                                            .migrations = journal_schema::k_migrations,
                                            .file_mode = 0660});
    give_to_group(site.paths.journal, operators);
    SQLite::Transaction transaction(database, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(database, "INSERT INTO meta (key, value) VALUES (?, ?)");
    for (const auto& [key, value] : {std::pair<const char*, std::string>{"origin", origin},
                                     {"region", site.region_code},
                                     {"ppe", site.ppe_code},
                                     {"public_key", signing_key.verifier().to_text()},
                                     {"created_at", format_utc(now())}}) {
        insert.bind(1, key);
        insert.bind(2, value);
        insert.exec();
        insert.reset();
    }
    transaction.commit();
    return signing_key.verifier();
}

Journal Journal::open(const Site& site) {
    std::error_code error;
    if (!fs::exists(site.paths.journal, error)) {
        throw StorageError(_f("the journal \"{}\" does not exist; run 'exam-journal init' first",
                              site.paths.journal.string()));
    }
    Journal journal{open_database(site.paths.journal,
                                  DatabaseOptions{.access = DatabaseAccess::open_existing,
                                                  .migrations = journal_schema::k_migrations}),
                    site.paths.journal};
    try {
        journal.load_meta();
    } catch (const SQLite::Exception& e) {
        throw database_error(site.paths.journal, e);
    }
    const JournalKeyFiles keys = JournalKeyFiles::in(site.paths);
    journal.m_signing_key =
        SigningKey::parse(read_secret_file(keys.signing_key), keys.signing_key.string());
    const std::string secret_hex = read_secret_file(keys.document_secret);
    const auto secret = hex_decode(secret_hex);
    if (!secret || secret->size() != 32) {
        throw ConfigError(
            _f("\"{}\" is not a document secret (64 hex digits expected); restore "
               "it from the backup of the keys folder",
               keys.document_secret.string()));
    }
    journal.m_document_secret.assign(secret->begin(), secret->end());
    if (journal.m_public_key &&
        journal.m_signing_key->verifier().to_text() != journal.m_public_key->to_text()) {
        throw ConfigError(
            _f("the signing key \"{}\" does not belong to the journal \"{}\" (its "
               "public key is {}); use the keys folder made with this journal",
               keys.signing_key.string(), site.paths.journal.string(),
               journal.m_public_key->to_text()));
    }
    // After a crash between an append and its checkpoint, sign what is not covered yet.
    journal.close();
    return journal;
}

Journal Journal::open_read_only(const fs::path& file) {
    Journal journal{
        open_database(file, DatabaseOptions{.access = DatabaseAccess::read_only,
                                            .migrations = journal_schema::k_migrations}),
        file};
    try {
        journal.load_meta();
    } catch (const SQLite::Exception& e) {
        throw database_error(file, e);
    }
    return journal;
}

void Journal::load_meta() {
    m_region = meta_value(m_database, "region");
    m_ppe = meta_value(m_database, "ppe");
    m_origin = meta_value(m_database, "origin");
    m_public_key = VerifierKey::parse(meta_value(m_database, "public_key"));
}

void Journal::refuse_if_read_only(std::string_view what) const {
    if (read_only()) {
        throw UsageError(
            _f("cannot {}: \"{}\" is open read-only for auditing; writing commands "
               "work on the site's own journal, without --db",
               what, m_file.string()));
    }
}

std::uint64_t Journal::size() {
    return static_cast<std::uint64_t>(
        m_database.execAndGet("SELECT size FROM tree_state").getInt64());
}

void Journal::sign_checkpoint_locked(TimePoint time) {
    SQLite::Statement state(m_database, "SELECT size, peaks FROM tree_state");
    state.executeStep();
    const auto size = static_cast<std::uint64_t>(state.getColumn(0).getInt64());
    const merkle::CompactRange range{size, decode_peaks(state.getColumn(1))};
    const Checkpoint checkpoint{m_origin, size, range.root()};
    const std::string note = sign_note(checkpoint_text(checkpoint), *m_signing_key);
    SQLite::Statement insert(
        m_database,
        "INSERT INTO checkpoint (tree_size, root_hash, signed_at, note) VALUES (?, ?, ?, ?)");
    insert.bind(1, static_cast<std::int64_t>(size));
    insert.bind(2, checkpoint.root_hash.data(), static_cast<int>(checkpoint.root_hash.size()));
    insert.bind(3, format_utc(time));
    insert.bind(4, note);
    insert.exec();
}

void Journal::close() {
    if (read_only()) {
        return;
    }
    SQLite::Transaction transaction(m_database, SQLite::TransactionBehavior::IMMEDIATE);
    const auto covered =
        m_database.execAndGet("SELECT coalesce(max(tree_size), -1) FROM checkpoint").getInt64();
    if (covered < static_cast<std::int64_t>(size()) && size() > 0) {
        // Never before the entries it covers, even if the clock was stepped back: verify
        // checks that each checkpoint's (unsigned) time lies between the entries around it.
        TimePoint last_time;
        (void)load_tree_state(last_time);
        sign_checkpoint_locked(std::max(now(), last_time));
    }
    transaction.commit();
}

merkle::CompactRange Journal::load_tree_state(TimePoint& last_time) {
    SQLite::Statement state(m_database, "SELECT size, peaks FROM tree_state");
    state.executeStep();
    const auto size = static_cast<std::uint64_t>(state.getColumn(0).getInt64());
    merkle::CompactRange range{size, decode_peaks(state.getColumn(1))};
    last_time = TimePoint{};
    if (size > 0) {
        SQLite::Statement last(m_database, "SELECT time FROM entry WHERE seq = ?");
        last.bind(1, static_cast<std::int64_t>(size - 1));
        if (last.executeStep()) {
            last_time = parse_utc(last.getColumn(0).getString()).value_or(TimePoint{});
        }
    }
    // Nor before the latest checkpoint's time (which close() may have taken from the clock).
    const auto signed_at = parse_utc(
        m_database.execAndGet("SELECT coalesce(max(signed_at), '') FROM checkpoint").getString());
    if (signed_at && *signed_at > last_time && *signed_at <= now()) {
        last_time = *signed_at;
    }
    return range;
}

void Journal::store_tree_state(const merkle::CompactRange& range) {
    std::string peaks;
    for (const auto& peak : range.peaks()) {
        peaks.append(reinterpret_cast<const char*>(peak.data()), peak.size());
    }
    SQLite::Statement update(m_database, "UPDATE tree_state SET size = ?, peaks = ?");
    update.bind(1, static_cast<std::int64_t>(range.size()));
    update.bind(2, peaks.data(), static_cast<int>(peaks.size()));
    update.exec();
}

constexpr const char* k_insert_entry = R"sql(
    INSERT INTO entry (seq, time, kind, region, ppe, exam, name, role, doc_hmac, doc_tail,
                       room, camera, note, reason, actor, name_key, leaf_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql";

JournalEntry Journal::append_locked(JournalEntry draft, SQLite::Statement& insert,
                                    merkle::CompactRange& range, TimePoint& last_time) {
    for (const auto* field : {&draft.exam, &draft.name, &draft.role, &draft.room, &draft.camera,
                              &draft.note, &draft.reason, &draft.actor}) {
        if (*field) {
            require_utf8(**field, "text");
        }
    }
    // Times never go backwards in the journal, even if the clock is stepped back.
    draft.seq = range.size();
    draft.time = std::max(now(), last_time);
    draft.region = m_region;
    draft.ppe = m_ppe;
    const merkle::Hash leaf = merkle::leaf_hash(leaf_bytes(draft));

    insert.reset();
    insert.bind(1, static_cast<std::int64_t>(draft.seq));
    insert.bind(2, format_utc(draft.time));
    insert.bind(3, std::string{to_string(draft.kind)});
    insert.bind(4, draft.region);
    insert.bind(5, draft.ppe);
    int index = 6;
    for (const auto* field :
         {&draft.exam, &draft.name, &draft.role, &draft.doc_hmac, &draft.doc_tail, &draft.room,
          &draft.camera, &draft.note, &draft.reason, &draft.actor}) {
        bind_optional(insert, index++, *field);
    }
    bind_optional(insert, index++,
                  draft.name ? std::optional<std::string>{name_key(*draft.name)} : std::nullopt);
    insert.bind(index, leaf.data(), static_cast<int>(leaf.size()));
    insert.exec();
    range.append(leaf);
    last_time = draft.time;
    return draft;
}

JournalEntry Journal::append(JournalEntry draft, const InTransaction& also) {
    refuse_if_read_only(_("append to the journal"));
    try {
        SQLite::Transaction transaction(m_database, SQLite::TransactionBehavior::IMMEDIATE);
        TimePoint last_time;
        merkle::CompactRange range = load_tree_state(last_time);
        SQLite::Statement insert(m_database, k_insert_entry);
        draft = append_locked(std::move(draft), insert, range, last_time);
        store_tree_state(range);
        if (also) {
            also(m_database, draft);
        }
        const std::string last_signed =
            m_database.execAndGet("SELECT coalesce(max(signed_at), '') FROM checkpoint")
                .getString();
        const auto last_signed_time = parse_utc(last_signed);
        if (!last_signed_time || draft.time - *last_signed_time >= k_checkpoint_interval) {
            sign_checkpoint_locked(draft.time);
        }
        transaction.commit();
        return draft;
    } catch (const SQLite::Exception& e) {
        throw StorageError(_f("could not write to the journal \"{}\": {}; nothing was recorded",
                              m_file.string(), e.what()));
    }
}

void Journal::append_batch(std::vector<JournalEntry> drafts) {
    refuse_if_read_only(_("append to the journal"));
    try {
        SQLite::Transaction transaction(m_database, SQLite::TransactionBehavior::IMMEDIATE);
        TimePoint last_time;
        merkle::CompactRange range = load_tree_state(last_time);
        SQLite::Statement insert(m_database, k_insert_entry);
        for (JournalEntry& draft : drafts) {
            append_locked(std::move(draft), insert, range, last_time);
        }
        store_tree_state(range);
        sign_checkpoint_locked(last_time);
        transaction.commit();
    } catch (const SQLite::Exception& e) {
        throw StorageError(_f("could not write to the journal \"{}\": {}; nothing was recorded",
                              m_file.string(), e.what()));
    }
}

std::optional<StoredCheckpoint> Journal::latest_checkpoint() {
    SQLite::Statement query(m_database,
                            "SELECT tree_size, root_hash, signed_at, note FROM checkpoint "
                            "ORDER BY tree_size DESC LIMIT 1");
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_checkpoint(query);
}

std::vector<StoredCheckpoint> Journal::checkpoints() {
    SQLite::Statement query(
        m_database,
        "SELECT tree_size, root_hash, signed_at, note FROM checkpoint ORDER BY tree_size");
    std::vector<StoredCheckpoint> result;
    while (query.executeStep()) {
        result.push_back(read_checkpoint(query));
    }
    return result;
}

std::string Journal::document_hmac(std::string_view normalised_number) const {
    if (m_document_secret.empty()) {
        throw UsageError(
            _("document numbers can only be checked on the exam point's own journal, "
              "with its keys"));
    }
    std::array<unsigned char, 32> mac{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), m_document_secret.data(), static_cast<int>(m_document_secret.size()),
         reinterpret_cast<const unsigned char*>(normalised_number.data()), normalised_number.size(),
         mac.data(), &length);
    return to_hex(std::span{mac.data(), length});
}

void for_each_entry(SQLite::Database& database,
                    const std::function<void(const JournalEntry&, const merkle::Hash&)>& visit,
                    std::string_view where, std::span<const std::string> values) {
    // The raw SQLite API here: verify reads every row of journals with millions of them, and
    // the wrapper's per-column objects cost more than the reading itself.
    std::string sql = R"sql(
        SELECT seq, time, kind, region, ppe, exam, name, role, doc_hmac, doc_tail, room, camera,
               note, reason, actor, leaf_hash
        FROM entry)sql";
    if (!where.empty()) {
        sql += " WHERE ";
        sql += where;
    }
    sql += " ORDER BY seq";
    sqlite3_stmt* prepared = nullptr;
    if (sqlite3_prepare_v2(database.getHandle(), sql.c_str(), -1, &prepared, nullptr) !=
        SQLITE_OK) {
        const int code = sqlite3_errcode(database.getHandle());
        const std::string detail = sqlite3_errmsg(database.getHandle());
        sqlite3_finalize(prepared);
        throw database_error(database.getFilename(), code, detail);
    }
    const std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement{prepared,
                                                                               sqlite3_finalize};
    sqlite3_stmt* row = statement.get();
    for (std::size_t i = 0; i < values.size(); ++i) {
        sqlite3_bind_text(row, static_cast<int>(i + 1), values[i].data(),
                          static_cast<int>(values[i].size()), SQLITE_TRANSIENT);
    }
    const auto text = [row](int column) {
        const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(row, column));
        return std::string_view{bytes ? bytes : "",
                                static_cast<std::size_t>(sqlite3_column_bytes(row, column))};
    };
    JournalEntry entry;
    merkle::Hash stored{};
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(row)) == SQLITE_ROW) {
        entry.seq = static_cast<std::uint64_t>(sqlite3_column_int64(row, 0));
        entry.time = parse_utc(text(1)).value_or(TimePoint{});
        entry.kind = entry_kind_from_string(text(2)).value_or(EntryKind::other_event);
        entry.region.assign(text(3));
        entry.ppe.assign(text(4));
        int index = 5;
        for (auto* field : {&entry.exam, &entry.name, &entry.role, &entry.doc_hmac, &entry.doc_tail,
                            &entry.room, &entry.camera, &entry.note, &entry.reason, &entry.actor}) {
            const int column = index++;
            if (sqlite3_column_type(row, column) == SQLITE_NULL) {
                field->reset();
            } else if (*field) {
                (*field)->assign(text(column));
            } else {
                field->emplace(text(column));
            }
        }
        stored.fill(0);
        if (sqlite3_column_bytes(row, 15) == static_cast<int>(stored.size())) {
            const auto* bytes = static_cast<const std::uint8_t*>(sqlite3_column_blob(row, 15));
            std::copy(bytes, bytes + stored.size(), stored.begin());
        }
        visit(entry, stored);
    }
    if (status != SQLITE_DONE) {
        throw database_error(database.getFilename(), status, sqlite3_errmsg(database.getHandle()));
    }
}

}  // namespace exam
