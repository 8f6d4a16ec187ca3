-- Security staffing: guards, each school's profile with who verified each provision when, its
-- alarm tests, and the hazards raised for its gaps. Keep in step with the postgres migration of
-- the same name.
CREATE TABLE guards (
    id INTEGER PRIMARY KEY NOT NULL,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    name TEXT NOT NULL,
    licence_no TEXT,
    birth_year INTEGER NOT NULL,
    employer TEXT NOT NULL,
    full_time BOOLEAN NOT NULL,
    hired_on DATE NOT NULL,
    left_on DATE,
    insured BOOLEAN NOT NULL,
    trained_on DATE,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX guards_school ON guards(school_id, left_on);
-- A licence number belongs to one guard in post at a time.
CREATE UNIQUE INDEX guards_licence_in_post ON guards(licence_no)
    WHERE left_on IS NULL AND licence_no IS NOT NULL;

CREATE TABLE security_profiles (
    school_id BIGINT PRIMARY KEY NOT NULL REFERENCES schools(id),
    closed_management BOOLEAN NOT NULL,
    closed_verified_on DATE,
    closed_verified_by BIGINT REFERENCES users(id),
    alarm_linked BOOLEAN NOT NULL,
    alarm_verified_on DATE,
    alarm_verified_by BIGINT REFERENCES users(id),
    video_linked BOOLEAN NOT NULL,
    video_verified_on DATE,
    video_verified_by BIGINT REFERENCES users(id),
    guard_post BOOLEAN NOT NULL,
    post_verified_on DATE,
    post_verified_by BIGINT REFERENCES users(id),
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE alarm_tests (
    id INTEGER PRIMARY KEY NOT NULL,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    tested_on DATE NOT NULL,
    result TEXT NOT NULL,
    response_seconds INTEGER,
    note TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX alarm_tests_school ON alarm_tests(school_id, tested_on);
CREATE INDEX alarm_tests_recorded ON alarm_tests(recorded_at);

-- Which of the four items a hazard was raised for (NULL for every other hazard).
ALTER TABLE hazards ADD COLUMN security_item TEXT;
CREATE INDEX hazards_security_item ON hazards(school_id, security_item);
