DROP INDEX hazards_state_school;
