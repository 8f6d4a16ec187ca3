DROP TABLE hazard_photos;
DROP TABLE hazards;
DROP TABLE counters;
