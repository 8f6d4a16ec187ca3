-- Hazards reported and accepted (销号) per school and month (the county as school 0; months in
-- Asia/Shanghai, UTC+8 without daylight saving), kept in the transaction that reports or
-- accepts (store::hazards::rollup::flow), for the dashboards' twelve-month chart. Filled here
-- from the trail an earlier release wrote, counting each hazard once a month as the trail's
-- reading did.
CREATE TABLE hazard_month_flows (
    school_id BIGINT NOT NULL,
    month TEXT NOT NULL,
    found BIGINT NOT NULL,
    closed BIGINT NOT NULL,
    PRIMARY KEY (school_id, month)
);
INSERT INTO hazard_month_flows (school_id, month, found, closed)
    SELECT h.school_id, to_char(e.at + INTERVAL '8 hours', 'YYYY-MM'),
           COUNT(DISTINCT CASE WHEN e.action = 'report' THEN e.record_id END),
           COUNT(DISTINCT CASE WHEN e.action = 'accept' THEN e.record_id END)
    FROM events e JOIN hazards h ON h.id = e.record_id
    WHERE e.record_kind = 'hazard' AND e.action IN ('report', 'accept')
    GROUP BY h.school_id, to_char(e.at + INTERVAL '8 hours', 'YYYY-MM');
INSERT INTO hazard_month_flows (school_id, month, found, closed)
    SELECT 0, to_char(e.at + INTERVAL '8 hours', 'YYYY-MM'),
           COUNT(DISTINCT CASE WHEN e.action = 'report' THEN e.record_id END),
           COUNT(DISTINCT CASE WHEN e.action = 'accept' THEN e.record_id END)
    FROM events e
    WHERE e.record_kind = 'hazard' AND e.action IN ('report', 'accept')
    GROUP BY to_char(e.at + INTERVAL '8 hours', 'YYYY-MM');
