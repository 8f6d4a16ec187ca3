DROP INDEX events_chain_kind_at;
DROP INDEX events_kind_action_at;
