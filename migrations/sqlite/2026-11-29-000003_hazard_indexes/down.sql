DROP INDEX hazards_supervised_state;
DROP INDEX hazards_level_state;
