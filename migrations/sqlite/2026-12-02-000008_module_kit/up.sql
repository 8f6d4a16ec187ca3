-- The module kit. Keep in step with the postgres migration of the same name.
--
-- Attachments of any module's records (photos before and after, reports, evidence), served by
-- one handler that asks the owning module's policy. A pending attachment (no record yet) belongs
-- to a session and a form: a file chosen in a refused form is kept until the form succeeds.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY NOT NULL,
    record_kind TEXT NOT NULL,
    record_id BIGINT,
    school_id BIGINT REFERENCES schools(id),
    stage TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    file_name TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL,
    pending_session BIGINT REFERENCES sessions(id) ON DELETE CASCADE,
    pending_form TEXT
);
CREATE INDEX attachments_record ON attachments(record_kind, record_id, stage);
CREATE INDEX attachments_pending ON attachments(pending_session, pending_form);

-- Every hazard photo moves over with its id, so the trail's "photo" events still name it.
INSERT INTO attachments (id, record_kind, record_id, school_id, stage, sha256, content_type,
    file_name, bytes, width, height, uploaded_by, uploaded_at, pending_session, pending_form)
SELECT p.id, 'hazard', p.hazard_id, h.school_id, p.stage, p.sha256, 'image/jpeg', 'photo.jpg',
    p.bytes, p.width, p.height, p.uploaded_by, p.uploaded_at, NULL, NULL
FROM hazard_photos p JOIN hazards h ON h.id = p.hazard_id
ORDER BY p.id;
DROP TABLE hazard_photos;

-- Diesel's 64-column tables make room for when supervision began; a hazard supervised now
-- takes the time of the first "supervise" event since it was last cleared.
ALTER TABLE hazards ADD COLUMN supervised_at TIMESTAMP;
UPDATE hazards SET supervised_at = (
    SELECT MIN(e.at) FROM events e
    WHERE e.record_kind = 'hazard' AND e.record_id = hazards.id AND e.action = 'supervise'
    AND NOT EXISTS (
        SELECT 1 FROM events u
        WHERE u.record_kind = 'hazard' AND u.record_id = hazards.id
        AND u.action = 'unsupervise' AND u.at > e.at
    )
) WHERE supervised;

-- A refused form's typed values and errors, kept for its session so the page that shows them is
-- reached by a redirect (a refresh does not post again).
CREATE TABLE form_drafts (
    id INTEGER PRIMARY KEY NOT NULL,
    token TEXT NOT NULL UNIQUE,
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    form TEXT NOT NULL,
    fields TEXT NOT NULL,
    errors TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX form_drafts_session ON form_drafts(session_id, form);
