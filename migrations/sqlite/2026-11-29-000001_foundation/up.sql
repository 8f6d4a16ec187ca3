-- Foundation tables. Keep in step with migrations/postgres/ (same names, same columns);
-- a test compares the two. No database-side defaults: the app sets every value.
CREATE TABLE townships (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE schools (
    id INTEGER PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    township_id BIGINT REFERENCES townships(id),
    kind TEXT NOT NULL,
    pupils INTEGER NOT NULL,
    boarders INTEGER NOT NULL,
    staff INTEGER NOT NULL,
    principal TEXT NOT NULL,
    phone TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX schools_township ON schools(township_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    school_id BIGINT REFERENCES schools(id),
    active BOOLEAN NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_school ON users(school_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    ip TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY NOT NULL,
    chain TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    school_id BIGINT,
    record_kind TEXT NOT NULL,
    record_id BIGINT,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT,
    comment TEXT,
    changes TEXT
);
CREATE INDEX events_chain ON events(chain, id);
CREATE INDEX events_record ON events(record_kind, record_id);
CREATE INDEX events_kind_at ON events(record_kind, at);
