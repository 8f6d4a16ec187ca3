DROP TABLE form_drafts;
ALTER TABLE hazards DROP COLUMN supervised_at;
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
INSERT INTO hazard_photos (id, hazard_id, stage, sha256, bytes, width, height, uploaded_by, uploaded_at)
SELECT id, record_id, stage, sha256, bytes, COALESCE(width, 0), COALESCE(height, 0), uploaded_by, uploaded_at
FROM attachments WHERE record_kind = 'hazard' AND record_id IS NOT NULL ORDER BY id;
DROP TABLE attachments;
