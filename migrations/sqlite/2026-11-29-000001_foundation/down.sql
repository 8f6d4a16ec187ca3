DROP TABLE events;
DROP TABLE settings;
DROP TABLE login_throttle;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE schools;
DROP TABLE townships;
