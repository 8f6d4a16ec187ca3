-- A settled month's report section (one module's: "hazards", later "buildings"…) for one
-- scope, computed once from the trail and kept: the figures of a month that has ended can no
-- longer change, so later reads (and the twelve-month trend) need not replay the trail again.
-- Scope: "county", "township:<name>", "school:<id>".
CREATE TABLE report_snapshots (
    module TEXT NOT NULL,
    scope TEXT NOT NULL,
    month TEXT NOT NULL,
    section TEXT NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (module, scope, month)
);
