-- The hazard ledger. Keep in step with the postgres migration of the same name.
CREATE TABLE counters (
    name TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);

CREATE TABLE hazards (
    id INTEGER PRIMARY KEY NOT NULL,
    ref_no TEXT NOT NULL UNIQUE,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    source TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    location TEXT NOT NULL,
    level TEXT NOT NULL,
    how_found TEXT NOT NULL,
    found_on DATE NOT NULL,
    found_by TEXT NOT NULL,
    reported_by BIGINT NOT NULL REFERENCES users(id),
    reported_at TIMESTAMP NOT NULL,
    state TEXT NOT NULL,
    deadline DATE,
    responsible_unit TEXT,
    responsible_person TEXT,
    measures TEXT,
    interim_controls TEXT,
    funding TEXT,
    department TEXT,
    duplicate_of TEXT,
    supervised BOOLEAN NOT NULL,
    contingency_plan TEXT,
    building_id BIGINT,
    submitted_by BIGINT REFERENCES users(id),
    submitted_at TIMESTAMP,
    accepted_by BIGINT REFERENCES users(id),
    accepted_at TIMESTAMP,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX hazards_school_state ON hazards(school_id, state);
CREATE INDEX hazards_state_deadline ON hazards(state, deadline);
CREATE INDEX hazards_reported_at ON hazards(reported_at);

CREATE TABLE hazard_photos (
    id INTEGER PRIMARY KEY NOT NULL,
    hazard_id BIGINT NOT NULL REFERENCES hazards(id),
    stage TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX hazard_photos_hazard ON hazard_photos(hazard_id);
