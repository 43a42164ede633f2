// The journal database's schema, step by step (PRAGMA user_version). Private to libexam.
#pragma once

#include <array>

#include <exam/util/sqlite.hpp>

namespace exam::journal_schema {

inline constexpr std::array k_migrations{
    Migration{1, R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE entry (
    seq       INTEGER PRIMARY KEY,
    time      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    region    TEXT NOT NULL,
    ppe       TEXT NOT NULL,
    exam      TEXT,
    name      TEXT,
    role      TEXT,
    doc_hmac  TEXT,
    doc_tail  TEXT,
    room      TEXT,
    camera    TEXT,
    note      TEXT,
    reason    TEXT,
    actor     TEXT,
    name_key  TEXT,
    leaf_hash BLOB NOT NULL
);
CREATE INDEX entry_by_time ON entry (time);
CREATE TRIGGER entry_no_update BEFORE UPDATE ON entry
BEGIN SELECT RAISE(ABORT, 'the journal is append-only: entries cannot be changed'); END;
CREATE TRIGGER entry_no_delete BEFORE DELETE ON entry
BEGIN SELECT RAISE(ABORT, 'the journal is append-only: entries cannot be deleted'); END;

CREATE TABLE checkpoint (
    tree_size INTEGER PRIMARY KEY,
    root_hash BLOB NOT NULL,
    signed_at TEXT NOT NULL,
    note      TEXT NOT NULL
);
CREATE TRIGGER checkpoint_no_update BEFORE UPDATE ON checkpoint
BEGIN SELECT RAISE(ABORT, 'checkpoints cannot be changed'); END;
CREATE TRIGGER checkpoint_no_delete BEFORE DELETE ON checkpoint
BEGIN SELECT RAISE(ABORT, 'checkpoints cannot be deleted'); END;

-- Derived state, rebuilt from the entries if ever in doubt: the tree's compact range, and
-- who is inside now (so that `inside` stays instant on a journal of millions of entries).
CREATE TABLE tree_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    size  INTEGER NOT NULL,
    peaks BLOB NOT NULL
);
INSERT INTO tree_state (id, size, peaks) VALUES (1, 0, x'');

CREATE TABLE presence (
    doc_hmac  TEXT PRIMARY KEY,
    enter_seq INTEGER NOT NULL,
    name      TEXT NOT NULL,
    name_key  TEXT NOT NULL,
    role      TEXT NOT NULL,
    exam      TEXT,
    since     TEXT NOT NULL
);
CREATE INDEX presence_by_name ON presence (name_key);

-- The staff list (form PPE-07): no document number, only its keyed hash and last 4 characters.
CREATE TABLE roster (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    name_key TEXT NOT NULL,
    role     TEXT NOT NULL,
    doc_hmac TEXT NOT NULL,
    doc_tail TEXT NOT NULL,
    exam     TEXT
);
CREATE INDEX roster_by_document ON roster (doc_hmac);
CREATE INDEX roster_by_name ON roster (name_key);
)sql"},
};

}  // namespace exam::journal_schema
