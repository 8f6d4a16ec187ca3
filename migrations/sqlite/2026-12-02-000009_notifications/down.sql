DROP INDEX users_role;
DROP TABLE notification_reminders;
DROP TABLE webhook_outbox;
DROP TABLE notifications;
