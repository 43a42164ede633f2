// What a journal file holds outside every signature — its SQLite structure and schema, the meta
// records, derived tables, names' lookup keys and the checkpoints' times — checked for
// consistency with what is signed, so that verify vouches only for what it checked. Private to
// libexam (journal/verify).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <exam/journal/verify.hpp>

namespace exam::verify_unsigned {

// Throws the StorageError of a damaged file when SQLite's own integrity check finds the file
// damaged (pages, cells, indexes that disagree with their tables).
void check_file_structure(Journal& journal);

// What the entries say the derived tables must hold, gathered on verify's one pass over them.
class Replay {
public:
    void add(const JournalEntry& entry);
    [[nodiscard]] const std::vector<TimePoint>& times() const { return m_times; }

    // The first disagreement of the file's unsigned parts with the entries and the key, or
    // nullopt; `key` is the key that checked the signatures.
    std::optional<std::string> problem(Journal& journal, const VerifierKey& key,
                                       KeySource key_source,
                                       const merkle::CompactRange& tree) const;

private:
    struct Inside {
        std::uint64_t enter_seq = 0;
        std::string name;
        std::string role;
        std::optional<std::string> exam;
        TimePoint since;
    };
    std::vector<TimePoint> m_times;
    std::map<std::string, Inside> m_inside;  // by doc_hmac
};

// What verify cannot check, for the report.
std::vector<std::string> unchecked_parts();

}  // namespace exam::verify_unsigned
