DROP TABLE hazard_month_flows;
