DROP INDEX hazards_building;
DROP TABLE appraisals;
DROP TABLE buildings;
