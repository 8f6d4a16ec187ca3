DROP INDEX hazards_security_item;
ALTER TABLE hazards DROP COLUMN security_item;
DROP TABLE alarm_tests;
DROP TABLE security_profiles;
DROP TABLE guards;
