DROP TABLE hazard_state_counts;
