-- Notifications. Keep in step with the postgres migration of the same name.
--
-- One row per person told: the record it is about (its reference and title as they were, never
-- a pupil's name), the module's word for what happened, and the page it links to.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    record_kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    school_id BIGINT REFERENCES schools(id),
    event TEXT NOT NULL,
    reference TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
-- The header's unread count on every page, and the list newest first.
CREATE INDEX notifications_user_unread ON notifications(user_id, read_at, id);
CREATE INDEX notifications_user ON notifications(user_id, id);

-- The webhook's durable queue: one row per notice, tried until delivered or given up
-- (next_attempt_at empty and nothing delivered).
CREATE TABLE webhook_outbox (
    id INTEGER PRIMARY KEY NOT NULL,
    url TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP,
    last_error TEXT,
    delivered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(next_attempt_at);

-- Daily reminders already sent: one row per record, reminder and county day, so every instance
-- may run the check and each record is reminded at most once a day.
CREATE TABLE notification_reminders (
    record_kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    reminder TEXT NOT NULL,
    day DATE NOT NULL,
    PRIMARY KEY (record_kind, record_id, reminder, day)
);
CREATE INDEX notification_reminders_day ON notification_reminders(day);

-- Telling "the bureau" or "the school's safety officers" looks users up by role.
CREATE INDEX users_role ON users(role, school_id);
