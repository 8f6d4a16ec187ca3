DROP TABLE education_sessions;
DROP TABLE bullying_screenings;
DROP TABLE bullying_access;
DROP TABLE bullying_notes;
DROP TABLE bullying_measures;
DROP TABLE bullying_parties;
DROP TABLE bullying_cases;
