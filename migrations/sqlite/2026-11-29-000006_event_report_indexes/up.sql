-- What the reports and dashboards read (measured in bench/ at 300k hazards, 1M events):
-- the county's reports and acceptances of a period, counted from the index alone (it holds the
-- record id) without walking every hazard event;
CREATE INDEX events_kind_action_at ON events(record_kind, action, at, record_id);
-- and one school's (or a township's schools') hazard events up to an instant, through its own
-- chain: without it a school's first report walked the whole county's events.
CREATE INDEX events_chain_kind_at ON events(chain, record_kind, at);
