-- Bullying cases with their parties, measures and the log of who opened each case page; the
-- schools' screenings; and the education register's sessions (a prevention session against
-- bullying is one of them, topic `bullying`). Keep in step with the postgres migration of the
-- same name.
CREATE TABLE bullying_cases (
    id INTEGER PRIMARY KEY NOT NULL,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    ref_no TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    reported_on DATE NOT NULL,
    happened_on DATE,
    reporter_kind TEXT NOT NULL,
    -- NULL for an anonymous tip: nothing of its sender is kept.
    reported_by BIGINT REFERENCES users(id),
    summary TEXT NOT NULL,
    place TEXT NOT NULL,
    accepted_on DATE,
    deadline DATE,
    determination TEXT,
    determined_on DATE,
    -- The SHA-256 of a tip's receipt code (the code itself is shown once, never stored).
    receipt_hash TEXT UNIQUE,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX bullying_cases_school ON bullying_cases(school_id, state);
CREATE INDEX bullying_cases_deadline ON bullying_cases(state, deadline);

CREATE TABLE bullying_parties (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES bullying_cases(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    grade_class TEXT NOT NULL,
    age INTEGER,
    added_by BIGINT NOT NULL REFERENCES users(id),
    added_at TIMESTAMP NOT NULL
);
CREATE INDEX bullying_parties_case ON bullying_parties(case_id);

CREATE TABLE bullying_measures (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES bullying_cases(id),
    kind TEXT NOT NULL,
    taken_on DATE NOT NULL,
    note TEXT NOT NULL,
    added_by BIGINT NOT NULL REFERENCES users(id),
    added_at TIMESTAMP NOT NULL
);
CREATE INDEX bullying_measures_case ON bullying_measures(case_id);

-- What a step's form said (a follow-up visit, an appeal, a re-examination): kept here, read on the
-- case page only, never copied into the audit trail, whose text must hold no name.
CREATE TABLE bullying_notes (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES bullying_cases(id),
    action TEXT NOT NULL,
    note TEXT NOT NULL,
    added_by BIGINT NOT NULL REFERENCES users(id),
    added_at TIMESTAMP NOT NULL
);
CREATE INDEX bullying_notes_case ON bullying_notes(case_id);

CREATE TABLE bullying_access (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES bullying_cases(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    at TIMESTAMP NOT NULL
);
CREATE INDEX bullying_access_case ON bullying_access(case_id, at);

CREATE TABLE bullying_screenings (
    id INTEGER PRIMARY KEY NOT NULL,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    held_on DATE NOT NULL,
    classes TEXT NOT NULL,
    pupils_covered INTEGER NOT NULL,
    findings TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX bullying_screenings_school ON bullying_screenings(school_id, held_on);
CREATE INDEX bullying_screenings_recorded ON bullying_screenings(recorded_at);

CREATE TABLE education_sessions (
    id INTEGER PRIMARY KEY NOT NULL,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL,
    topic TEXT NOT NULL,
    held_on DATE NOT NULL,
    participants INTEGER NOT NULL,
    note TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX education_sessions_school ON education_sessions(school_id, topic, held_on);
CREATE INDEX education_sessions_recorded ON education_sessions(recorded_at);
