// What proves that an exported segment is the one the recorder journalled: its `segment`
// entry, the journal checkpoint that covers it, and the RFC 9162 inclusion proof of the entry
// in that checkpoint's tree. Export puts them into the manifest; verify checks them there.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>

#include <exam/archive/manifest.hpp>
#include <exam/export.hpp>
#include <exam/journal/journal.hpp>

namespace exam {

struct JournalledSegment {
    std::string sha256;  // hex, as the entry's note gives it
    std::uint64_t bytes = 0;
    JournalProof proof;
};

struct SegmentProofs {
    std::optional<ManifestCheckpoint> checkpoint;
    std::map<std::string, JournalledSegment> by_file;  // keyed by the recordings-folder path
};

// The journal entries of `files` (recordings-folder paths, "ROOM/CAMERA/NAME.mp4") with their
// proofs against the latest checkpoint. A writable journal first signs a checkpoint over
// entries the latest one does not cover yet; a read-only one cannot, and its files whose
// entries come after its latest checkpoint are left out like files never journalled. When a
// file was journalled twice, the latest entry counts. Throws StorageError when an entry does
// not match its stored leaf hash (the journal was altered: 'exam-journal verify' says more).
EXAM_EXPORT SegmentProofs segment_proofs(Journal& journal, std::span<const std::string> files);

}  // namespace exam
