-- The home page's queues count open hazards by level and by supervision; without these the
-- counts scan the whole ledger (measured in bench/).
CREATE INDEX hazards_level_state ON hazards(level, state);
CREATE INDEX hazards_supervised_state ON hazards(supervised, state);
