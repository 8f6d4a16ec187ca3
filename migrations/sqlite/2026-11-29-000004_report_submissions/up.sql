-- A school's monthly report as submitted: a frozen snapshot. Resubmitting adds a row, so the
-- history stays; the newest row of a school and month is its current submission.
CREATE TABLE report_submissions (
    id INTEGER PRIMARY KEY NOT NULL,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    month TEXT NOT NULL,
    state TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    submitted_by BIGINT NOT NULL REFERENCES users(id),
    submitted_at TIMESTAMP NOT NULL,
    returned_by BIGINT REFERENCES users(id),
    returned_at TIMESTAMP,
    return_comment TEXT
);
CREATE INDEX report_submissions_month ON report_submissions(month, school_id);
