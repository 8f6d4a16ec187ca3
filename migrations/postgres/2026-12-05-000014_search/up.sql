-- The text search's index (issue 15): each record's terms (CJK pairs, ASCII words; computed in
-- Rust, domain::search) and its folded text, which decides what the terms only suggest. Written
-- in the record's own transaction; filled for existing records at start-up. Terms compare by
-- bytes (COLLATE "C"), as SQLite's do, so a prefix is one range of the index on both.
CREATE TABLE search_terms (
    record_kind TEXT NOT NULL,
    term TEXT COLLATE "C" NOT NULL,
    record_id BIGINT NOT NULL,
    PRIMARY KEY (record_kind, term, record_id)
);
CREATE INDEX search_terms_record ON search_terms(record_kind, record_id);

CREATE TABLE search_docs (
    record_kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    head TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (record_kind, record_id)
);
