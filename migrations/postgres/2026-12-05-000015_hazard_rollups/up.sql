-- How many hazards each school has in each state, and the county's (school_id 0), kept in the
-- transaction that reports or moves a hazard (store::hazards::rollup), so the ledger's header,
-- the dashboards and the work queues read a few rows instead of counting the hazards. Filled
-- here from the rows an earlier release wrote.
CREATE TABLE hazard_state_counts (
    school_id BIGINT NOT NULL,
    state TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (school_id, state)
);
INSERT INTO hazard_state_counts (school_id, state, n)
    SELECT school_id, state, COUNT(*) FROM hazards GROUP BY school_id, state;
INSERT INTO hazard_state_counts (school_id, state, n)
    SELECT 0, state, COUNT(*) FROM hazards GROUP BY state;
