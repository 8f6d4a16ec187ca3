DROP TABLE report_submissions;
