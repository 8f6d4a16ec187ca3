-- School buildings and their appraisals. Keep in step with the postgres migration of the same name.
--
-- A building's grade, status, next appraisal and disposal are its latest word; the audit trail
-- holds how it got there. The linked hazard is the one a D grade raised.
CREATE TABLE buildings (
    id INTEGER PRIMARY KEY NOT NULL,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    name TEXT NOT NULL,
    usage TEXT NOT NULL,
    structure TEXT NOT NULL,
    floors INTEGER NOT NULL,
    floor_area REAL NOT NULL,
    year_built INTEGER NOT NULL,
    status TEXT NOT NULL,
    grade TEXT,
    appraised_on DATE,
    appraisal_due DATE,
    hazard_id BIGINT REFERENCES hazards(id),
    disposal_method TEXT,
    disposal_deadline DATE,
    disposal_funding TEXT,
    disposal_measures TEXT,
    reported_done_by BIGINT REFERENCES users(id),
    reported_done_at TIMESTAMP,
    accepted_by BIGINT REFERENCES users(id),
    accepted_at TIMESTAMP,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX buildings_school_status ON buildings(school_id, status);
CREATE INDEX buildings_grade_status ON buildings(grade, status);
CREATE INDEX buildings_appraisal_due ON buildings(appraisal_due);

CREATE TABLE appraisals (
    id INTEGER PRIMARY KEY NOT NULL,
    building_id BIGINT NOT NULL REFERENCES buildings(id),
    appraised_on DATE NOT NULL,
    agency TEXT NOT NULL,
    report_no TEXT NOT NULL,
    grade TEXT NOT NULL,
    notes TEXT NOT NULL,
    file_id BIGINT REFERENCES attachments(id),
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX appraisals_building ON appraisals(building_id, appraised_on);
CREATE INDEX hazards_building ON hazards(building_id);
